package dev.plugai.core.providers.gemini;

import dev.plugai.core.backends.Cancellation;
import dev.plugai.core.backends.GenerationResult;
import dev.plugai.core.backends.SamplingParameters;
import dev.plugai.core.backends.TextRequest;
import dev.plugai.core.errors.ErrorKind;
import dev.plugai.core.errors.PlugAiException;
import dev.plugai.core.identity.credentials.AccessTokens;
import dev.plugai.core.identity.credentials.CredentialSecret;
import dev.plugai.core.identity.credentials.CredentialSecret.GoogleServiceAccount;
import dev.plugai.core.providers.ProviderEndpoint;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.time.Clock;
import java.util.Base64;
import java.util.Map;

import static dev.plugai.core.providers.gemini.GeminiServer.chunk;
import static dev.plugai.core.providers.gemini.GeminiServer.error;
import static dev.plugai.core.providers.gemini.GeminiServer.json;
import static dev.plugai.core.providers.gemini.GeminiServer.sse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GeminiServiceAccountTest {

    private static final TextRequest HELLO = TextRequest.prompt("Hello", SamplingParameters.defaults());

    private GeminiServer gemini;
    private GeminiAdapter adapter;

    @BeforeEach
    void start() throws Exception {
        gemini = new GeminiServer();
        ProviderEndpoint endpoint = new ProviderEndpoint("gemini", "gemini", gemini.server.url("/v1beta").uri(),
                Map.of());
        adapter = new GeminiAdapter(endpoint, serviceAccount(gemini.server.url("/token").toString()), gemini.client,
                Clock.systemUTC(), new AccessTokens(gemini.client, Clock.systemUTC()));
    }

    @AfterEach
    void stop() {
        gemini.close();
    }

    @Test
    void serviceAccountSendsABearerTokenAndFetchesAFreshOneAfterA401() throws Exception {
        gemini.server.enqueue(token("ya29.first"));
        gemini.server.enqueue(json(401, error(401, "Request had invalid authentication credentials.",
                "UNAUTHENTICATED")));
        gemini.server.enqueue(token("ya29.second"));
        gemini.server.enqueue(sse(chunk("Hi!", "STOP", 2, 2)));

        assertThatThrownBy(() -> generate()).isInstanceOfSatisfying(PlugAiException.Upstream.class,
                e -> assertThat(e.kind()).isEqualTo(ErrorKind.PROVIDER_AUTH));
        GenerationResult result = generate();

        assertThat(result.text()).isEqualTo("Hi!");
        assertThat(gemini.take().getUrl().encodedPath()).isEqualTo("/token");
        assertThat(gemini.take().getHeaders().get("Authorization")).isEqualTo("Bearer ya29.first");
        assertThat(gemini.take().getUrl().encodedPath()).isEqualTo("/token");
        RecordedRequest retried = gemini.take();
        assertThat(retried.getHeaders().get("Authorization")).isEqualTo("Bearer ya29.second");
        assertThat(retried.getHeaders().get("x-goog-api-key")).isNull();
    }

    @Test
    void aServiceAccountWithoutAccessTokensIsRefusedAtConstruction() throws Exception {
        ProviderEndpoint endpoint = new ProviderEndpoint("gemini", "gemini", gemini.server.url("/v1beta").uri(),
                Map.of());
        CredentialSecret account = serviceAccount(gemini.server.url("/token").toString());

        assertThatThrownBy(() -> new GeminiAdapter(endpoint, account, gemini.client, Clock.systemUTC()))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("AccessTokens");
        assertThatThrownBy(() -> new GeminiAdapter(endpoint, new CredentialSecret.BearerToken("t"), gemini.client,
                Clock.systemUTC())).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bearer_token");
    }

    private GenerationResult generate() {
        return adapter.textGenerator("gemini-2.0-flash").generate(HELLO, text -> { }, new Cancellation());
    }

    private static mockwebserver3.MockResponse token(String value) {
        return json(200, "{\"access_token\": \"" + value + "\", \"expires_in\": 3599, \"token_type\": \"Bearer\"}");
    }

    private static GoogleServiceAccount serviceAccount(String tokenUri) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        String pem = "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(generator.generateKeyPair().getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
        return new GoogleServiceAccount(GeminiServer.JSON.writeValueAsString(Map.of(
                "type", "service_account", "project_id", "plugai-test", "private_key_id", "0123456789abcdef",
                "private_key", pem, "client_email", "gateway@plugai-test.iam.gserviceaccount.com",
                "token_uri", tokenUri)));
    }
}
