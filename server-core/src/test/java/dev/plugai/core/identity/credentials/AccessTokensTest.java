package dev.plugai.core.identity.credentials;

import dev.plugai.core.MutableClock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.plugai.core.errors.PlugAiException;
import dev.plugai.core.identity.credentials.CredentialSecret.GoogleServiceAccount;
import dev.plugai.core.identity.credentials.CredentialSecret.OAuth2ClientCredentials;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.Headers;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AccessTokensTest {

    private static final Instant START = Instant.parse("2026-03-01T10:00:00Z");
    private static final Headers JSON_HEADERS = Headers.of("Content-Type", "application/json;charset=UTF-8",
            "Cache-Control", "no-store", "Pragma", "no-cache");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final MockWebServer server = new MockWebServer();
    private final MutableClock clock = new MutableClock(START);
    private OkHttpClient http;
    private AccessTokens tokens;

    @BeforeEach
    void start() throws Exception {
        server.start();
        http = new OkHttpClient.Builder().readTimeout(Duration.ofSeconds(5)).build();
        tokens = new AccessTokens(http, clock);
    }

    @AfterEach
    void stop() {
        server.close();
        http.dispatcher().executorService().shutdown();
        http.connectionPool().evictAll();
    }

    @Test
    void clientCredentialsGrantSendsBasicAuthAndScopesAndParsesTheRfc6749Response() throws Exception {
        server.enqueue(tokenResponse("2YotnFZFEjr1zCsicMWpAA", 3600));

        AccessToken token = tokens.token(client());

        assertThat(token.value()).isEqualTo("2YotnFZFEjr1zCsicMWpAA");
        assertThat(token.tokenType()).isEqualTo("Bearer");
        assertThat(token.expiresAt()).isEqualTo(START.plusSeconds(3600));
        assertThat(token.toString()).doesNotContain("2YotnFZFEjr1zCsicMWpAA");
        RecordedRequest request = server.takeRequest(5, TimeUnit.SECONDS);
        assertThat(request.getMethod()).isEqualTo("POST");
        assertThat(request.getUrl().encodedPath()).isEqualTo("/oauth2/token");
        assertThat(request.getHeaders().get("Content-Type")).startsWith("application/x-www-form-urlencoded");
        assertThat(request.getHeaders().get("Authorization")).isEqualTo("Basic " + Base64.getEncoder()
                .encodeToString(("plugai-client:" + SampleSecrets.CLIENT_SECRET).getBytes(StandardCharsets.UTF_8)));
        assertThat(form(request)).isEqualTo(Map.of("grant_type", "client_credentials", "scope", "llm.read llm.invoke"));
    }

    @Test
    void clientIdAndSecretAreFormEncodedBeforeBasicAuthAsRfc6749Requires() throws Exception {
        server.enqueue(tokenResponse("token-1", 3600));
        tokens.token(new OAuth2ClientCredentials(server.url("/token").toString(), "app:one", "s3cr=t ü", List.of()));

        RecordedRequest request = server.takeRequest(5, TimeUnit.SECONDS);
        assertThat(request.getHeaders().get("Authorization")).isEqualTo("Basic " + Base64.getEncoder()
                .encodeToString("app%3Aone:s3cr%3Dt+%C3%BC".getBytes(StandardCharsets.UTF_8)));
        assertThat(form(request)).isEqualTo(Map.of("grant_type", "client_credentials"));
    }

    @Test
    void aTokenIsReusedUntilAMinuteBeforeItExpiresThenRefreshed() {
        server.enqueue(tokenResponse("first-token", 3600));
        server.enqueue(tokenResponse("second-token", 3600));
        OAuth2ClientCredentials client = client();

        assertThat(tokens.token(client).value()).isEqualTo("first-token");
        clock.advance(Duration.ofSeconds(3600 - 61));
        assertThat(tokens.token(client).value()).isEqualTo("first-token");
        assertThat(server.getRequestCount()).isEqualTo(1);

        clock.advance(Duration.ofSeconds(2));
        assertThat(tokens.token(client).value()).isEqualTo("second-token");
        assertThat(server.getRequestCount()).isEqualTo(2);
    }

    @Test
    void forgettingACredentialForcesANewFetch() {
        server.enqueue(tokenResponse("first-token", 3600));
        server.enqueue(tokenResponse("second-token", 3600));

        tokens.token(client());
        tokens.forget(client());

        assertThat(tokens.token(client()).value()).isEqualTo("second-token");
    }

    @Test
    void concurrentCallersForOneCredentialShareASingleFetch() throws Exception {
        server.enqueue(new MockResponse.Builder().code(200).headers(JSON_HEADERS)
                .body("{\"access_token\":\"shared-token\",\"token_type\":\"Bearer\",\"expires_in\":3600}")
                .headersDelay(300, TimeUnit.MILLISECONDS).build());
        int callers = 8;
        CountDownLatch ready = new CountDownLatch(callers);
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        try {
            List<Future<AccessToken>> results = new ArrayList<>();
            for (int i = 0; i < callers; i++) {
                results.add(pool.submit(() -> {
                    ready.countDown();
                    ready.await();
                    return tokens.token(client());
                }));
            }
            for (Future<AccessToken> result : results) {
                assertThat(result.get(10, TimeUnit.SECONDS).value()).isEqualTo("shared-token");
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    @Test
    void aServiceAccountSendsAnRs256JwtThatVerifiesWithItsPublicKey() throws Exception {
        // Google's token endpoint answers like this (no refresh token for the JWT bearer grant).
        server.enqueue(new MockResponse(200, JSON_HEADERS,
                "{\"access_token\":\"ya29.c.b0AXv0zTPtest\",\"expires_in\":3599,\"token_type\":\"Bearer\"}"));
        String tokenUri = server.url("/token").toString();
        GoogleServiceAccount account = SampleSecrets.serviceAccount(tokenUri);

        AccessToken token = tokens.token(account, AccessTokens.GOOGLE_CLOUD_SCOPES);

        assertThat(token.value()).isEqualTo("ya29.c.b0AXv0zTPtest");
        assertThat(token.expiresAt()).isEqualTo(START.plusSeconds(3599));
        Map<String, String> form = form(server.takeRequest(5, TimeUnit.SECONDS));
        assertThat(form.get("grant_type")).isEqualTo("urn:ietf:params:oauth:grant-type:jwt-bearer");
        String[] jwt = form.get("assertion").split("\\.");
        assertThat(jwt).hasSize(3);
        assertThat(decode(jwt[0])).isEqualTo(JSON.readTree("{\"alg\":\"RS256\",\"typ\":\"JWT\"}"));
        JsonNode claims = decode(jwt[1]);
        assertThat(claims.get("iss").asText()).isEqualTo("gateway@plugai-test.iam.gserviceaccount.com");
        assertThat(claims.get("scope").asText()).isEqualTo("https://www.googleapis.com/auth/cloud-platform");
        assertThat(claims.get("aud").asText()).isEqualTo(tokenUri);
        assertThat(claims.get("iat").asLong()).isEqualTo(START.getEpochSecond());
        assertThat(claims.get("exp").asLong()).isEqualTo(START.getEpochSecond() + 3600);
        Signature verifier = Signature.getInstance("SHA256withRSA");
        verifier.initVerify(SampleSecrets.serviceAccountKeys().getPublic());
        verifier.update((jwt[0] + "." + jwt[1]).getBytes(StandardCharsets.US_ASCII));
        assertThat(verifier.verify(Base64.getUrlDecoder().decode(jwt[2]))).isTrue();
    }

    @Test
    void aRefusedClientReportsTheStatusAndErrorCodeButNoSecret() {
        server.enqueue(new MockResponse(401, JSON_HEADERS.newBuilder().add("WWW-Authenticate", "Basic").build(),
                "{\"error\":\"invalid_client\",\"error_description\":\"Client authentication failed\"}"));

        assertThatThrownBy(() -> tokens.token(client()))
                .isInstanceOf(PlugAiException.Unavailable.class)
                .hasMessageContaining("HTTP 401 (invalid_client)")
                .hasMessageNotContaining(SampleSecrets.CLIENT_SECRET);
    }

    @Test
    void aRefusedServiceAccountReportsTheStatusButNotTheKeyOrAssertion() {
        server.enqueue(new MockResponse(400, JSON_HEADERS,
                "{\"error\":\"invalid_grant\",\"error_description\":\"Invalid JWT Signature.\"}"));
        GoogleServiceAccount account = SampleSecrets.serviceAccount(server.url("/token").toString());

        assertThatThrownBy(() -> tokens.token(account, AccessTokens.GOOGLE_CLOUD_SCOPES))
                .isInstanceOf(PlugAiException.class)
                .hasMessageContaining("HTTP 400 (invalid_grant)")
                .hasMessageNotContaining("eyJ")
                .satisfies(error -> SampleSecrets.rawSecrets().forEach(raw ->
                        assertThat(error.getMessage()).doesNotContain(raw)));
    }

    @Test
    void malformedSuccessResponsesAreReportedWithoutQuotingTheBody() {
        server.enqueue(new MockResponse(200, JSON_HEADERS, "{\"access_token\": \"leaked-token-value"));
        server.enqueue(new MockResponse(200, JSON_HEADERS, "{\"token_type\":\"Bearer\",\"expires_in\":3600}"));
        server.enqueue(new MockResponse(200, JSON_HEADERS,
                "{\"access_token\":\"leaked-token-value\",\"expires_in\":\"soon\"}"));

        assertThatThrownBy(() -> tokens.token(client())).hasMessageContaining("HTTP 200 with a body that is not JSON")
                .hasMessageNotContaining("leaked-token-value");
        assertThatThrownBy(() -> tokens.token(client())).hasMessageContaining("without an access_token");
        assertThatThrownBy(() -> tokens.token(client())).hasMessageContaining("expires_in")
                .hasMessageNotContaining("leaked-token-value");
    }

    @Test
    void aSlowTokenEndpointTimesOutWithADomainError() {
        OkHttpClient impatient = http.newBuilder().readTimeout(Duration.ofMillis(200)).build();
        server.enqueue(tokenResponse("late-token", 3600).newBuilder()
                .headersDelay(2, TimeUnit.SECONDS).build());

        assertThatThrownBy(() -> new AccessTokens(impatient, clock).token(client()))
                .isInstanceOf(PlugAiException.Unavailable.class)
                .hasMessage("Fetching an access token from " + server.getHostName() + " timed out.");
    }

    @Test
    void failuresAreNotCached() {
        server.enqueue(new MockResponse(503, JSON_HEADERS, "{\"error\":\"temporarily_unavailable\"}"));
        server.enqueue(tokenResponse("recovered-token", 3600));

        assertThatThrownBy(() -> tokens.token(client())).hasMessageContaining("HTTP 503");
        assertThat(tokens.token(client()).value()).isEqualTo("recovered-token");
    }

    private OAuth2ClientCredentials client() {
        return new OAuth2ClientCredentials(server.url("/oauth2/token").toString(), "plugai-client",
                SampleSecrets.CLIENT_SECRET, List.of("llm.read", "llm.invoke"));
    }

    /** An RFC 6749 §5.1 successful response. */
    private static MockResponse tokenResponse(String accessToken, long expiresIn) {
        return new MockResponse(200, JSON_HEADERS, "{\"access_token\":\"" + accessToken
                + "\",\"token_type\":\"Bearer\",\"expires_in\":" + expiresIn + "}");
    }

    private static Map<String, String> form(RecordedRequest request) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (String pair : request.getBody().utf8().split("&")) {
            String[] parts = pair.split("=", 2);
            fields.put(URLDecoder.decode(parts[0], StandardCharsets.UTF_8),
                    URLDecoder.decode(parts[1], StandardCharsets.UTF_8));
        }
        return fields;
    }

    private static JsonNode decode(String base64url) throws Exception {
        return JSON.readTree(Base64.getUrlDecoder().decode(base64url));
    }
}
