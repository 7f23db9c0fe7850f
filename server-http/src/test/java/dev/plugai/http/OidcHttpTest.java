package dev.plugai.http;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import com.fasterxml.jackson.databind.JsonNode;
import dev.plugai.core.identity.Role;
import dev.plugai.core.identity.Scope;
import dev.plugai.core.identity.User;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * JWT bearer tokens from an external OIDC issuer, through the real server with the issuer's JWKS served
 * by a MockWebServer: what is accepted, the forgeries that must not be, and how keys are fetched.
 */
class OidcHttpTest {

    static final String PASSWORD = "correct horse battery";
    static ByteArrayOutputStream LOG;

    @TempDir
    static Path dataDir;

    static final TestClock clock = new TestClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
    static final FakeOidcIssuer.Key signingKey = FakeOidcIssuer.rsaKey("rsa-1");
    static final FakeOidcIssuer.Key ecKey = FakeOidcIssuer.ecKey("ec-1");
    static FakeOidcIssuer issuer;
    static TestServer server;

    @BeforeAll
    static void start() {
        LOG = LogCapture.of("dev.plugai.http.auth", Level.DEBUG);

        issuer = new FakeOidcIssuer(clock);
        issuer.publish(signingKey, ecKey);
        server = TestServer.start(dataDir, issuer.settings(), List.of(), clock);
        server.core.identity().users().create("ada", PASSWORD.toCharArray(), Role.USER, "Ada");
        User bob = server.core.identity().users().create("bob", PASSWORD.toCharArray(), Role.USER, "Bob");
        server.core.identity().users().update(bob.id(), Optional.empty(), Optional.of(true));
        server.core.identity().users().create("root", PASSWORD.toCharArray(), Role.ADMIN, "Root");
    }

    @AfterAll
    static void stop() {
        server.close();
        issuer.close();
    }

    /** The problem body without the parts that differ per request. */
    private static String stable(HttpResponse<String> response) {
        JsonNode problem = Api.json(response);
        return response.statusCode() + " " + problem.get("type").asText() + " " + problem.get("detail").asText();
    }

    @Test
    void aValidTokenActsAsTheExistingLocalUserWithTheScopesOfTheirRole() {
        HttpResponse<String> me = Api.token(server, issuer.token(signingKey, "Ada")).get("/v1/me");

        assertThat(me.statusCode()).as(me.body()).isEqualTo(200);
        JsonNode body = Api.json(me);
        assertThat(body.get("user").get("username").asText()).isEqualTo("ada");
        assertThat(body.get("auth").asText()).isEqualTo("oidc");
        assertThat(body.get("scopes")).extracting(JsonNode::asText)
                .containsExactlyInAnyOrderElementsOf(Scope.allowedFor(Role.USER).stream().map(Scope::wireName).toList());
        assertThat(body.path("csrf_token").isMissingNode() || body.get("csrf_token").isNull()).isTrue();

        JsonNode root = Api.json(Api.token(server, issuer.token(ecKey, "root")).get("/v1/me"));
        assertThat(root.get("user").get("username").asText()).as("ES256 works too").isEqualTo("root");
        assertThat(root.get("scopes")).extracting(JsonNode::asText).contains("admin");
    }

    @Test
    void aBearerJwtNeedsNoCsrfTokenToChangeThings() {
        HttpResponse<String> response = Api.token(server, issuer.token(signingKey, "ada")).patch("/v1/me", "{\"display_name\":\"Ada L.\"}");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }

    @Test
    void forgedExpiredMisdirectedAndOrphanTokensAreRefusedLikeABadApiToken() {
        String reference = stable(Api.token(server, "plugai_not-a-real-token").get("/v1/me"));
        FakeOidcIssuer.Key impostor = FakeOidcIssuer.rsaKey("rsa-1");
        Map<String, String> refused = new LinkedHashMap<>();
        refused.put("expired", issuer.token(signingKey, claims("ada", "exp", now() - 61)));
        refused.put("not valid yet", issuer.token(signingKey, claims("ada", "nbf", now() + 120)));
        refused.put("no exp", issuer.token(signingKey, claims("ada", "exp", null)));
        refused.put("wrong issuer", issuer.token(signingKey, claims("ada", "iss", "https://evil.example.test")));
        refused.put("wrong audience", issuer.token(signingKey, claims("ada", "aud", "someone-else")));
        refused.put("no audience", issuer.token(signingKey, claims("ada", "aud", null)));
        refused.put("signed by another key", issuer.token(impostor, "ada"));
        refused.put("alg none", issuer.unsignedToken("rsa-1", issuer.claims("ada")));
        refused.put("HS256 with the public key", issuer.hmacWithPublicKey(signingKey, issuer.claims("ada")));
        refused.put("tampered claims", tamper(issuer.token(signingKey, "ada"), issuer.token(signingKey, "root")));
        refused.put("unknown user", issuer.token(signingKey, "mallory"));
        refused.put("disabled user", issuer.token(signingKey, "bob"));
        refused.put("no username claim", issuer.token(signingKey, claims("ada", "preferred_username", null)));
        refused.put("not even JSON", "bm90.anNvbg.c2ln");

        refused.forEach((why, token) -> {
            HttpResponse<String> response = Api.token(server, token).get("/v1/me");
            assertThat(response.statusCode()).as(why).isEqualTo(401);
            assertThat(stable(response)).as(why).isEqualTo(reference);
        });
        assertThat(server.core.identity().users().findByUsername("mallory")).as("no account is created").isEmpty();

        String log = LOG.toString(StandardCharsets.UTF_8);
        assertThat(log).contains("OIDC token refused: expired", "OIDC token refused: wrong audience",
                "OIDC token refused: algorithm 'none' is not accepted", "OIDC token refused: bad signature");
        refused.values().forEach(token -> assertThat(log).doesNotContain(token));
    }

    @Test
    void aTokenJustPastItsExpiryIsStillAcceptedWithinTheClockSkew() {
        String token = issuer.token(signingKey, claims("ada", "exp", now() - 30));

        assertThat(Api.token(server, token).get("/v1/me").statusCode()).isEqualTo(200);
    }

    @Test
    void apiTokensKeepWorkingBesideOidc() {
        User ada = server.core.identity().users().findByUsername("ada").orElseThrow();
        String token = server.core.identity().tokens().create(ada, "script", Set.of(), Optional.empty(),
                Optional.empty()).token();

        JsonNode me = Api.json(Api.token(server, token).get("/v1/me"));
        assertThat(me.get("auth").asText()).isEqualTo("token");
    }

    @Test
    void withoutAnIssuerConfiguredAJwtIsRefused(@TempDir Path otherData) {
        try (TestServer plain = TestServer.start(otherData, Map.of(), List.of(), clock)) {
            HttpResponse<String> response = Api.token(plain, issuer.token(signingKey, "ada")).get("/v1/me");

            assertThat(response.statusCode()).isEqualTo(401);
        }
    }

    @Test
    void anIssuerDownAtStartRefusesJwtsButTheServerKeepsServingAndRecovers(@TempDir Path otherData) {
        TestClock ownClock = new TestClock(clock.instant());
        try (FakeOidcIssuer unreachable = new FakeOidcIssuer(ownClock);
             TestServer other = TestServer.start(otherData, unreachable.settings(), List.of(), ownClock)) {
            unreachable.publish(signingKey);
            unreachable.down(true);
            User ada = other.core.identity().users().create("ada", PASSWORD.toCharArray(), Role.USER, null);
            String apiToken = other.core.identity().tokens().create(ada, "script", Set.of(), Optional.empty(),
                    Optional.empty()).token();

            assertThat(Api.token(other, unreachable.token(signingKey, "ada")).get("/v1/me").statusCode()).isEqualTo(401);
            assertThat(Api.token(other, unreachable.token(signingKey, "ada")).get("/v1/me").statusCode()).isEqualTo(401);
            assertThat(unreachable.fetches).as("a failed fetch is retried at most once a minute").hasValue(1);
            assertThat(other.get("/v1/health").statusCode()).isEqualTo(200);
            assertThat(Api.token(other, apiToken).get("/v1/me").statusCode()).isEqualTo(200);

            unreachable.down(false);
            ownClock.advance(Duration.ofSeconds(61));
            assertThat(Api.token(other, unreachable.token(signingKey, "ada")).get("/v1/me").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void keysRotatedAtTheIssuerArePickedUpWithoutARestart(@TempDir Path otherData) {
        TestClock ownClock = new TestClock(clock.instant());
        FakeOidcIssuer.Key next = FakeOidcIssuer.rsaKey("rsa-2");
        try (FakeOidcIssuer rotating = new FakeOidcIssuer(ownClock);
             TestServer other = TestServer.start(otherData, rotating.settings(), List.of(), ownClock)) {
            rotating.publish(signingKey);
            other.core.identity().users().create("ada", PASSWORD.toCharArray(), Role.USER, null);
            assertThat(Api.token(other, rotating.token(signingKey, "ada")).get("/v1/me").statusCode()).isEqualTo(200);

            rotating.publish(signingKey, next);
            ownClock.advance(Duration.ofSeconds(61));
            assertThat(Api.token(other, rotating.token(next, "ada")).get("/v1/me").statusCode())
                    .as("an unknown kid fetches the keys again").isEqualTo(200);
            assertThat(rotating.fetches).hasValue(2);

            for (int i = 0; i < 10; i++) {
                Api.token(other, rotating.token(FakeOidcIssuer.rsaKey("junk-" + i), "ada")).get("/v1/me");
            }
            assertThat(rotating.fetches).as("unknown kids fetch at most once a minute").hasValue(2);

            rotating.publish(next);
            ownClock.advance(Duration.ofHours(1));
            assertThat(Api.token(other, rotating.token(signingKey, "ada")).get("/v1/me").statusCode())
                    .as("a retired key stops working after the refresh interval").isEqualTo(401);
            assertThat(Api.token(other, rotating.token(next, "ada")).get("/v1/me").statusCode()).isEqualTo(200);
        }
    }

    private static long now() {
        return clock.instant().getEpochSecond();
    }

    /** The issuer's usual claims for {@code username} with one claim changed ({@code null} removes it). */
    private static Map<String, Object> claims(String username, String claim, Object value) {
        Map<String, Object> claims = issuer.claims(username);
        if (value == null) {
            claims.remove(claim);
        } else {
            claims.put(claim, value);
        }
        return claims;
    }

    /** Ada's signed header and signature around root's claims. */
    private static String tamper(String adaToken, String rootToken) {
        String[] ada = adaToken.split("\\.");
        String[] root = rootToken.split("\\.");
        return ada[0] + "." + root[1] + "." + ada[2];
    }
}
