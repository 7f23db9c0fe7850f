package dev.plugai.core.identity.credentials;

import dev.plugai.core.errors.PlugAiException;
import dev.plugai.core.identity.credentials.CredentialSecret.ApiKey;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CredentialVaultTest {

    private static final CredentialOwner ALICE = CredentialOwner.user("alice");
    private static final CredentialOwner BOB = CredentialOwner.user("bob");
    private static final CredentialOwner OPERATOR = CredentialOwner.operator();

    @TempDir
    Path folder;

    private VaultFixture fixture;
    private CredentialVault vault;

    @BeforeEach
    void openVault() {
        fixture = new VaultFixture(folder);
        fixture.addUser("alice");
        fixture.addUser("bob");
        vault = fixture.openVault();
    }

    @AfterEach
    void closeDatabase() {
        fixture.close();
    }

    @Test
    void everyTypeRoundTripsThroughTheEncryptedStore() {
        Map<String, CredentialSecret> secrets = SampleSecrets.everyType();
        secrets.forEach((provider, secret) -> vault.put(ALICE, provider, secret, false));

        CredentialVault restarted = fixture.openVault();
        secrets.forEach((provider, secret) -> assertThat(restarted.reveal(ALICE, provider)).contains(secret));
    }

    @Test
    void describeAndListShowMaskedValuesOnly() {
        SampleSecrets.everyType().forEach((provider, secret) -> vault.put(OPERATOR, provider, secret, true));

        ProviderCredential openai = vault.describe(OPERATOR, "openai").orElseThrow();
        assertThat(openai.type()).isEqualTo("api_key");
        assertThat(openai.masked()).isEqualTo(Map.of("key", "sk-…A1b2"));
        assertThat(openai.sharedWithUsers()).isTrue();
        assertThat(openai.createdAt()).isEqualTo(VaultFixture.CLOCK.instant());

        List<ProviderCredential> listed = vault.list(OPERATOR);
        assertThat(listed).extracting(ProviderCredential::provider)
                .containsExactly("azure", "corp-llm", "custom-bearer", "ollama-proxy", "openai", "vertex");
        for (String raw : SampleSecrets.rawSecrets()) {
            assertThat(listed.toString()).doesNotContain(raw);
            assertThat(listed).allSatisfy(view -> assertThat(view.masked().values()).noneMatch(v -> v.contains(raw)));
        }
    }

    @Test
    void putReplacesTheOwnersCredentialForTheProvider() {
        ProviderCredential first = vault.put(ALICE, "openai", new ApiKey(SampleSecrets.API_KEY), false);
        ProviderCredential second = vault.put(ALICE, "OpenAI", new ApiKey("sk-second-key-000000000000000009"), false);

        assertThat(second.id()).isEqualTo(first.id());
        assertThat(vault.list(ALICE)).hasSize(1);
        assertThat(vault.reveal(ALICE, "openai")).contains(new ApiKey("sk-second-key-000000000000000009"));
    }

    @Test
    void ownersAreIsolatedFromEachOtherAndFromTheOperator() {
        vault.put(BOB, "openai", new ApiKey(SampleSecrets.API_KEY), false);
        vault.put(OPERATOR, "anthropic", new ApiKey("sk-ant-operator-key-0000000000001"), false);

        assertThat(vault.describe(ALICE, "openai")).isEmpty();
        assertThat(vault.reveal(ALICE, "openai")).isEmpty();
        assertThat(vault.delete(ALICE, "openai")).isFalse();
        assertThat(vault.list(ALICE)).isEmpty();
        assertThat(vault.describe(OPERATOR, "openai")).isEmpty();
        assertThat(vault.reveal(BOB, "anthropic")).isEmpty();
        assertThat(vault.list(OPERATOR)).extracting(ProviderCredential::provider).containsExactly("anthropic");

        assertThat(vault.reveal(BOB, "openai")).contains(new ApiKey(SampleSecrets.API_KEY));
        assertThat(vault.delete(BOB, "openai")).isTrue();
        assertThat(vault.describe(BOB, "openai")).isEmpty();
    }

    @Test
    void anOperatorCredentialAndAUserCredentialForOneProviderCoexist() {
        vault.put(OPERATOR, "openai", new ApiKey("sk-operator-key-00000000000000001"), true);
        vault.put(OPERATOR, "openai", new ApiKey("sk-operator-key-00000000000000002"), true);
        vault.put(ALICE, "openai", new ApiKey(SampleSecrets.API_KEY), false);

        assertThat(vault.list(OPERATOR)).hasSize(1);
        assertThat(vault.revealForUser("alice", "openai")).contains(new ApiKey(SampleSecrets.API_KEY));
        assertThat(vault.revealForUser("bob", "openai")).contains(new ApiKey("sk-operator-key-00000000000000002"));
    }

    @Test
    void unsharedOperatorCredentialsAreNotUsedForUsers() {
        vault.put(OPERATOR, "openai", new ApiKey("sk-operator-key-00000000000000001"), false);

        assertThat(vault.revealForUser("bob", "openai")).isEmpty();
        assertThatThrownBy(() -> vault.put(ALICE, "openai", new ApiKey(SampleSecrets.API_KEY), true))
                .isInstanceOf(PlugAiException.InvalidRequest.class);
    }

    @Test
    void credentialsOfUnknownUsersAreRefusedAndDeletedUsersTakeTheirsAlong() {
        assertThatThrownBy(() -> vault.put(CredentialOwner.user("nobody"), "openai",
                new ApiKey(SampleSecrets.API_KEY), false)).isInstanceOf(PlugAiException.NotFound.class);

        vault.put(ALICE, "openai", new ApiKey(SampleSecrets.API_KEY), false);
        fixture.database.write(handle -> handle.execute("DELETE FROM app_user WHERE id = 'alice'"));
        assertThat(vault.list(ALICE)).isEmpty();
    }

    @Test
    void everyWriteUsesAFreshIv() {
        vault.put(ALICE, "openai", new ApiKey(SampleSecrets.API_KEY), false);
        Map<String, Object> first = row(ALICE);
        vault.put(ALICE, "openai", new ApiKey(SampleSecrets.API_KEY), false);
        Map<String, Object> second = row(ALICE);

        assertThat(second.get("iv")).isNotEqualTo(first.get("iv"));
        assertThat(second.get("ciphertext")).isNotEqualTo(first.get("ciphertext"));
        assertThat(Base64.getDecoder().decode((String) second.get("iv"))).hasSize(12);
    }

    @Test
    void aCiphertextMovedToAnotherOwnersRowDoesNotDecrypt() {
        vault.put(ALICE, "openai", new ApiKey(SampleSecrets.API_KEY), false);
        vault.put(BOB, "openai", new ApiKey("sk-bob-key-00000000000000000000001"), false);
        Map<String, Object> alices = row(ALICE);
        fixture.database.write(handle -> handle.createUpdate(
                        "UPDATE provider_credential SET ciphertext = :c, iv = :iv WHERE owner_key = 'user:bob'")
                .bind("c", (String) alices.get("ciphertext"))
                .bind("iv", (String) alices.get("iv"))
                .execute());

        assertUnreadable(() -> vault.reveal(BOB, "openai"));
    }

    @Test
    void aFlippedByteInTheCiphertextOrIvIsReportedAsTampering() {
        vault.put(ALICE, "openai", new ApiKey(SampleSecrets.API_KEY), false);
        vault.put(ALICE, "azure", SampleSecrets.everyType().get("azure"), false);
        flipFirstByte("ciphertext", "openai");
        flipFirstByte("iv", "azure");

        assertUnreadable(() -> vault.reveal(ALICE, "openai"));
        assertUnreadable(() -> vault.reveal(ALICE, "azure"));
    }

    @Test
    void aDifferentMasterKeyCannotDecryptAndSaysSo() throws Exception {
        vault.put(ALICE, "openai", new ApiKey(SampleSecrets.API_KEY), false);
        String keyId = vault.describe(ALICE, "openai").orElseThrow().keyId();

        // Same key id recorded, different key bytes: the key file was swapped for another one.
        byte[] other = new byte[32];
        fixture.data.writeSecret("master.key", other);
        fixture.database.write(handle -> handle.createUpdate("UPDATE provider_credential SET key_id = :id")
                .bind("id", MasterKey.of(other).id()).execute());
        assertUnreadable(() -> fixture.openVault().reveal(ALICE, "openai"));

        // Key id of a key that is gone: the message names the missing key, not the secret.
        fixture.database.write(handle -> handle.createUpdate("UPDATE provider_credential SET key_id = :id")
                .bind("id", keyId).execute());
        assertThatThrownBy(() -> fixture.openVault().reveal(ALICE, "openai"))
                .isInstanceOf(PlugAiException.class)
                .hasMessageContaining("master key " + keyId)
                .hasMessageNotContaining(SampleSecrets.API_KEY);
    }

    @Test
    void theKeyFileIsOwnerOnlyAndTheDatabaseNeverHoldsTheSecretBytes() throws Exception {
        SampleSecrets.everyType().forEach((provider, secret) -> vault.put(ALICE, provider, secret, false));

        Path keyFile = fixture.keyFile("master.key");
        assertThat(Files.readAllBytes(keyFile)).hasSize(32);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile))).isEqualTo("rw-------");

        Path databaseFile = fixture.data.databaseFile();
        Path wal = databaseFile.resolveSibling(databaseFile.getFileName() + "-wal");
        assertThat(wal).exists();
        assertNoSecretIn(databaseFile, wal);
        fixture.database.checkpoint();
        assertNoSecretIn(databaseFile);
    }

    @Test
    void theMasterKeyIsMadeOnFirstUseOnly() {
        assertThat(fixture.keyFile("master.key")).doesNotExist();
        vault.put(ALICE, "openai", new ApiKey(SampleSecrets.API_KEY), false);
        String keyId = vault.describe(ALICE, "openai").orElseThrow().keyId();

        assertThat(MasterKeyStore.in(fixture.data).current().id()).isEqualTo(keyId);
    }

    @Test
    void providerIdsAreValidated() {
        assertThatThrownBy(() -> vault.put(ALICE, "../etc", new ApiKey(SampleSecrets.API_KEY), false))
                .isInstanceOf(PlugAiException.InvalidRequest.class);
        assertThatThrownBy(() -> vault.describe(ALICE, " ")).isInstanceOf(PlugAiException.InvalidRequest.class);
    }

    private static void assertUnreadable(Runnable reveal) {
        assertThatThrownBy(reveal::run)
                .isInstanceOf(PlugAiException.Internal.class)
                .hasMessage("stored credential cannot be decrypted: wrong master key or tampered data")
                .hasNoCause();
    }

    private Map<String, Object> row(CredentialOwner owner) {
        return fixture.database.read(handle -> handle.createQuery(
                        "SELECT ciphertext, iv, key_id FROM provider_credential WHERE owner_key = :owner")
                .bind("owner", owner.storageKey()).mapToMap().one());
    }

    private void flipFirstByte(String column, String provider) {
        String encoded = fixture.database.read(handle -> handle.createQuery(
                        "SELECT " + column + " FROM provider_credential WHERE provider = :provider")
                .bind("provider", provider).mapTo(String.class).one());
        byte[] bytes = Base64.getDecoder().decode(encoded);
        bytes[0] ^= 0x01;
        fixture.database.write(handle -> handle.createUpdate(
                        "UPDATE provider_credential SET " + column + " = :value WHERE provider = :provider")
                .bind("value", Base64.getEncoder().encodeToString(bytes)).bind("provider", provider).execute());
    }

    private static void assertNoSecretIn(Path... files) throws Exception {
        StringBuilder everything = new StringBuilder();
        for (Path file : files) {
            everything.append(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1));
        }
        // Proves the rows are in the bytes searched, so finding no secret means something.
        assertThat(everything).contains("ollama-proxy").contains("gateway@plugai-test.iam.gserviceaccount.com");
        for (String raw : SampleSecrets.rawSecrets()) {
            assertThat(everything.toString())
                    .doesNotContain(new String(raw.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1));
        }
    }
}
