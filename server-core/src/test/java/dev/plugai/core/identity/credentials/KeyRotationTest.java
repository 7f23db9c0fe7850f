package dev.plugai.core.identity.credentials;

import dev.plugai.core.errors.PlugAiException;
import dev.plugai.core.identity.credentials.CredentialSecret.ApiKey;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KeyRotationTest {

    private static final CredentialOwner ALICE = CredentialOwner.user("alice");
    private static final CredentialOwner OPERATOR = CredentialOwner.operator();

    @TempDir
    Path folder;

    private VaultFixture fixture;
    private CredentialVault vault;
    private Map<String, CredentialSecret> secrets;

    @BeforeEach
    void storeCredentials() {
        fixture = new VaultFixture(folder);
        fixture.addUser("alice");
        vault = fixture.openVault();
        secrets = SampleSecrets.everyType();
        secrets.forEach((provider, secret) -> {
            vault.put(ALICE, provider, secret, false);
            vault.put(OPERATOR, provider, secret, true);
        });
    }

    @AfterEach
    void closeDatabase() {
        fixture.close();
    }

    @Test
    void rotationReencryptsEveryCredentialAndTheOldKeyIsNoLongerNeeded() throws Exception {
        byte[] oldKey = Files.readAllBytes(fixture.keyFile("master.key"));
        String oldKeyId = MasterKey.of(oldKey).id();

        KeyRotation rotation = vault.rotate();

        assertThat(rotation.previousKeyId()).isEqualTo(oldKeyId);
        assertThat(rotation.currentKeyId()).isNotEqualTo(oldKeyId);
        assertThat(rotation.reencrypted()).isEqualTo(2 * secrets.size());
        assertThat(keyIdsInUse()).containsExactly(rotation.currentKeyId());
        assertThat(fixture.keyFile("master.key.next")).doesNotExist();
        assertThat(Files.readAllBytes(fixture.keyFile("master.key"))).isNotEqualTo(oldKey);
        assertEverythingReadable(vault);
        assertEverythingReadable(fixture.openVault());

        // With the old key back in place nothing opens: no row depends on it any more.
        fixture.data.writeSecret("master.key", oldKey);
        assertThatThrownBy(() -> fixture.openVault().reveal(ALICE, "openai"))
                .isInstanceOf(PlugAiException.class)
                .hasMessageContaining("master key " + rotation.currentKeyId());
    }

    @Test
    void aCrashAfterTheCommitButBeforeTheRenameIsFinishedAtStartUp() throws Exception {
        byte[] oldKey = Files.readAllBytes(fixture.keyFile("master.key"));
        KeyRotation rotation = vault.rotate();
        byte[] newKey = Files.readAllBytes(fixture.keyFile("master.key"));
        // Rebuild the files as they were between the commit and the rename.
        fixture.data.writeSecret("master.key", oldKey);
        fixture.data.writeSecret("master.key.next", newKey);

        CredentialVault restarted = fixture.openVault();

        assertThat(fixture.keyFile("master.key.next")).doesNotExist();
        assertThat(Files.readAllBytes(fixture.keyFile("master.key"))).isEqualTo(newKey);
        assertThat(keyIdsInUse()).containsExactly(rotation.currentKeyId());
        assertEverythingReadable(restarted);
    }

    @Test
    void aCrashBeforeTheCommitIsUndoneAtStartUp() throws Exception {
        byte[] oldKey = Files.readAllBytes(fixture.keyFile("master.key"));
        byte[] unusedNextKey = new byte[32];
        new SecureRandom().nextBytes(unusedNextKey);
        fixture.data.writeSecret("master.key.next", unusedNextKey);

        CredentialVault restarted = fixture.openVault();

        assertThat(fixture.keyFile("master.key.next")).doesNotExist();
        assertThat(Files.readAllBytes(fixture.keyFile("master.key"))).isEqualTo(oldKey);
        assertEverythingReadable(restarted);
        assertThat(restarted.rotate().reencrypted()).isEqualTo(2 * secrets.size());
        assertEverythingReadable(fixture.openVault());
    }

    @Test
    void aRotationThatCannotReadOneRowChangesNothing() throws Exception {
        byte[] oldKey = Files.readAllBytes(fixture.keyFile("master.key"));
        String oldKeyId = MasterKey.of(oldKey).id();
        fixture.database.write(handle -> handle.execute(
                "UPDATE provider_credential SET iv = 'AAAAAAAAAAAAAAAA' WHERE owner_key = 'operator' AND provider = 'vertex'"));

        assertThatThrownBy(vault::rotate)
                .isInstanceOf(PlugAiException.class)
                .hasMessage(CredentialCipher.UNREADABLE);

        assertThat(keyIdsInUse()).containsExactly(oldKeyId);
        assertThat(fixture.keyFile("master.key.next")).doesNotExist();
        assertThat(Files.readAllBytes(fixture.keyFile("master.key"))).isEqualTo(oldKey);
        assertThat(fixture.openVault().reveal(ALICE, "vertex")).contains(secrets.get("vertex"));
    }

    @Test
    void writesAfterARotationUseTheNewKey() {
        KeyRotation rotation = vault.rotate();
        vault.put(ALICE, "mistral", new ApiKey("mk-after-rotation-000000000000001"), false);

        assertThat(vault.describe(ALICE, "mistral").orElseThrow().keyId()).isEqualTo(rotation.currentKeyId());
        assertThat(fixture.openVault().reveal(ALICE, "mistral"))
                .contains(new ApiKey("mk-after-rotation-000000000000001"));
    }

    private List<String> keyIdsInUse() {
        return fixture.database.read(handle -> handle.createQuery(
                "SELECT DISTINCT key_id FROM provider_credential").mapTo(String.class).list());
    }

    private void assertEverythingReadable(CredentialVault opened) {
        secrets.forEach((provider, secret) -> {
            assertThat(opened.reveal(ALICE, provider)).contains(secret);
            assertThat(opened.reveal(OPERATOR, provider)).contains(secret);
        });
    }
}
