package dev.plugai.core.identity.credentials;

import dev.plugai.core.errors.PlugAiException;
import dev.plugai.core.identity.credentials.CredentialSecret.ApiKey;
import dev.plugai.core.identity.credentials.CredentialSecret.AzureOpenAI;
import dev.plugai.core.identity.credentials.CredentialSecret.BasicAuth;
import dev.plugai.core.identity.credentials.CredentialSecret.GoogleServiceAccount;
import dev.plugai.core.identity.credentials.CredentialSecret.OAuth2ClientCredentials;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CredentialSecretTest {

    @Test
    void everyTypeSurvivesAJsonRoundTripWithItsTypeDiscriminator() {
        for (CredentialSecret secret : SampleSecrets.everyType().values()) {
            String json = new String(SecretJson.write(secret), StandardCharsets.UTF_8);
            assertThat(json).contains("\"type\":\"" + secret.type() + "\"");
            assertThat(SecretJson.readOrNull(json.getBytes(StandardCharsets.UTF_8))).isEqualTo(secret);
        }
    }

    @Test
    void longKeysShowTheirFirstThreeAndLastFourCharactersOnly() {
        assertThat(new ApiKey(SampleSecrets.API_KEY).masked()).containsEntry("key", "sk-…A1b2");
        assertThat(new ApiKey("sk-short-key").masked()).containsEntry("key", "…");
    }

    @Test
    void identifiersAndUrlsStayReadableWhileSecretsAreMasked() {
        OAuth2ClientCredentials client = new OAuth2ClientCredentials("https://login.example.com/token", "plugai",
                SampleSecrets.CLIENT_SECRET, List.of("a", "b"));
        assertThat(client.masked()).containsEntry("tokenUrl", "https://login.example.com/token")
                .containsEntry("clientId", "plugai").containsEntry("clientSecret", "cs_…7f6e")
                .containsEntry("scopes", "a b");
        assertThat(new BasicAuth("gateway", SampleSecrets.PASSWORD).masked())
                .containsEntry("username", "gateway").containsEntry("password", "…");
        assertThat(SampleSecrets.serviceAccount("https://oauth2.googleapis.com/token").masked())
                .containsEntry("clientEmail", "gateway@plugai-test.iam.gserviceaccount.com")
                .containsEntry("privateKey", "…");
    }

    @Test
    void toStringAndMaskedValuesNeverContainASecret() {
        for (CredentialSecret secret : SampleSecrets.everyType().values()) {
            for (String raw : SampleSecrets.rawSecrets()) {
                assertThat(secret.toString()).doesNotContain(raw);
                assertThat(secret.masked().toString()).doesNotContain(raw);
            }
        }
    }

    @Test
    void missingFieldsAreRejectedWithAMessageNamingTheFieldNotTheValue() {
        assertThatThrownBy(() -> new ApiKey("  ")).isInstanceOf(PlugAiException.InvalidRequest.class)
                .hasMessage("An API key is required.");
        assertThatThrownBy(() -> new OAuth2ClientCredentials("not a url", "id", SampleSecrets.CLIENT_SECRET, null))
                .isInstanceOf(PlugAiException.InvalidRequest.class)
                .hasMessageContaining("token URL").hasMessageNotContaining(SampleSecrets.CLIENT_SECRET);
        assertThatThrownBy(() -> new AzureOpenAI(SampleSecrets.AZURE_KEY, "https://x.openai.azure.com", " ", "v1"))
                .isInstanceOf(PlugAiException.InvalidRequest.class)
                .hasMessage("A deployment name is required.");
    }

    @Test
    void serviceAccountJsonMustParseAndCarryEmailKeyAndTokenUri() {
        String pem = SampleSecrets.privateKeyPem().replace("\n", "\\n");
        assertThatThrownBy(() -> new GoogleServiceAccount("{\"private_key\": \"" + pem + "\""))
                .isInstanceOf(PlugAiException.InvalidRequest.class)
                .hasMessage("The service account JSON is not valid JSON.");
        assertThatThrownBy(() -> new GoogleServiceAccount(
                "{\"private_key\": \"" + pem + "\", \"token_uri\": \"https://oauth2.googleapis.com/token\"}"))
                .isInstanceOf(PlugAiException.InvalidRequest.class)
                .hasMessage("The service account JSON has no client_email.");
        assertThatThrownBy(() -> new GoogleServiceAccount("{\"client_email\": \"a@b.c\", \"private_key\": "
                + "\"-----BEGIN RSA PRIVATE KEY-----\\nAAAA\\n-----END RSA PRIVATE KEY-----\", "
                + "\"token_uri\": \"https://oauth2.googleapis.com/token\"}"))
                .isInstanceOf(PlugAiException.InvalidRequest.class)
                .hasMessageContaining("PKCS#8");
        assertThatThrownBy(() -> new GoogleServiceAccount("{\"client_email\": \"a@b.c\", \"private_key\": "
                + "\"-----BEGIN PRIVATE KEY-----\\nbm90IGEga2V5\\n-----END PRIVATE KEY-----\", "
                + "\"token_uri\": \"https://oauth2.googleapis.com/token\"}"))
                .isInstanceOf(PlugAiException.InvalidRequest.class)
                .hasMessage("The service account private_key is not a readable RSA key.");
    }

    @Test
    void aServiceAccountExposesItsSigningKeyAndEndpoints() {
        GoogleServiceAccount account = SampleSecrets.serviceAccount("https://oauth2.googleapis.com/token");
        assertThat(account.clientEmail()).isEqualTo("gateway@plugai-test.iam.gserviceaccount.com");
        assertThat(account.tokenUri()).isEqualTo("https://oauth2.googleapis.com/token");
        assertThat(account.privateKey().getEncoded())
                .isEqualTo(SampleSecrets.serviceAccountKeys().getPrivate().getEncoded());
    }
}
