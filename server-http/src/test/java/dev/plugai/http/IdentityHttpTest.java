package dev.plugai.http;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import com.fasterxml.jackson.databind.JsonNode;
import dev.plugai.core.identity.Role;
import dev.plugai.core.identity.User;
import dev.plugai.http.routing.RouteTable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Identity and access through the real HTTP server: the attacks the issue lists, and the flows a
 * user goes through. Every response body is kept, so the secret-leak checks can read them all.
 */
class IdentityHttpTest {

    static final String PASSWORD = "correct horse battery";
    static final String SECRET_KEY = "sk-live-THIS-IS-THE-SECRET-9f8e7d6c5b4a";

    @TempDir
    static Path dataDir;

    static TestServer server;
    static User root;
    static User ada;
    static User bob;
    static ByteArrayOutputStream LOG;
    static final List<String> BODIES = new ArrayList<>();

    @BeforeAll
    static void start() {
        LOG = LogCapture.of(org.slf4j.Logger.ROOT_LOGGER_NAME, null);

        server = TestServer.start(dataDir, Map.of("auth.login-free-failures", "5"), List.of());
        root = server.core.identity().users().create("root", PASSWORD.toCharArray(), Role.ADMIN, "Root");
        ada = server.core.identity().users().create("ada", PASSWORD.toCharArray(), Role.USER, "Ada");
        bob = server.core.identity().users().create("bob", PASSWORD.toCharArray(), Role.USER, "Bob");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static HttpResponse<String> kept(HttpResponse<String> response) {
        BODIES.add(response.body());
        return response;
    }

    private static String createToken(Api api, String body) {
        HttpResponse<String> response = kept(api.post("/v1/me/tokens", body));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return Api.json(response).get("token").asText();
    }

    private static String concrete(RouteTable.Route route) {
        return route.template().replaceAll("\\{[^}]+}", "some-id");
    }

    private static String bodyFor(String method) {
        return method.equals("GET") || method.equals("DELETE") ? null : "{}";
    }

    /** The problem body without the parts that differ per request. */
    private static String stable(HttpResponse<String> response) {
        JsonNode problem = Api.json(response);
        return response.statusCode() + " " + problem.get("type").asText() + " " + problem.get("title").asText() + " "
                + problem.get("detail").asText();
    }

    @Test
    void everyProtectedRouteRefusesMissingMalformedRevokedExpiredAndForeignTokensAlike() {
        Api adaSession = Api.session(server, "ada", PASSWORD);
        String revoked = createToken(adaSession, "{\"name\":\"to revoke\"}");
        assertThat(adaSession.delete("/v1/me/tokens/" + revoked.substring(7, 19)).statusCode()).isEqualTo(200);
        String expired = createToken(adaSession, "{\"name\":\"to expire\",\"expires_in_days\":1}");
        server.core.database().write(handle -> handle.createUpdate(
                "UPDATE api_token SET expires_at = '2020-01-01T00:00:00Z' WHERE id = :id")
                .bind("id", expired.substring(7, 19)).execute());
        String foreign = createToken(adaSession, "{\"name\":\"from elsewhere\"}");
        server.core.database().write(handle -> handle.createUpdate("DELETE FROM api_token WHERE id = :id")
                .bind("id", foreign.substring(7, 19)).execute());

        List<Api> callers = List.of(Api.anonymous(server), Api.token(server, "not-a-token"),
                Api.token(server, revoked), Api.token(server, expired), Api.token(server, foreign),
                Api.anonymous(server).header("X-API-Key", revoked),
                Api.anonymous(server).header("Cookie", "plugai_session=forged-session-id"),
                Api.anonymous(server).header("Authorization", "Basic YWRhOmNvcnJlY3QgaG9yc2UgYmF0dGVyeQ=="));
        String expected = null;
        int checked = 0;
        for (RouteTable.Route route : server.server.routes().routes()) {
            if (!route.access().authenticated()) {
                continue;
            }
            for (Api caller : callers) {
                HttpResponse<String> response = kept(caller.send(route.method(), concrete(route),
                        bodyFor(route.method()), "application/json"));
                assertThat(response.statusCode()).as(route.method() + " " + route.template()).isEqualTo(401);
                assertThat(response.headers().firstValue("WWW-Authenticate")).contains("Bearer realm=\"plugai\"");
                expected = expected == null ? stable(response) : expected;
                assertThat(stable(response)).as("the same answer whatever was wrong").isEqualTo(expected);
                checked++;
            }
        }
        assertThat(checked).isGreaterThan(100);
    }

    @Test
    void anotherUsersResourcesAreNotFoundNotForbidden() {
        Api adaSession = Api.session(server, "ada", PASSWORD);
        Api bobSession = Api.session(server, "bob", PASSWORD);
        String adaToken = createToken(adaSession, "{\"name\":\"ada's\"}");
        String adaTokenId = adaToken.substring(7, 19);
        assertThat(kept(adaSession.put("/v1/me/credentials/openai",
                "{\"secret\":{\"type\":\"api_key\",\"key\":\"" + SECRET_KEY + "\"}}")).statusCode()).isEqualTo(200);

        HttpResponse<String> revokeForeign = kept(bobSession.delete("/v1/me/tokens/" + adaTokenId));
        HttpResponse<String> revokeMissing = kept(bobSession.delete("/v1/me/tokens/doesNotExist"));
        assertThat(revokeForeign.statusCode()).isEqualTo(404);
        assertThat(Api.json(revokeForeign).get("type").asText()).isEqualTo(Api.json(revokeMissing).get("type").asText());
        assertThat(kept(bobSession.get("/v1/me/credentials/openai")).statusCode()).isEqualTo(404);
        assertThat(kept(bobSession.delete("/v1/me/credentials/openai")).statusCode()).isEqualTo(404);
        assertThat(Api.json(kept(bobSession.get("/v1/me/tokens")))).noneMatch(token -> token.get("id").asText()
                .equals(adaTokenId));

        assertThat(kept(Api.token(server, adaToken).get("/v1/me")).statusCode()).as("still valid").isEqualTo(200);
        assertThat(kept(adaSession.get("/v1/me/credentials/openai")).statusCode()).isEqualTo(200);

        Api rootSession = Api.session(server, "root", PASSWORD);
        assertThat(Api.json(kept(rootSession.get("/v1/admin/users/" + ada.id() + "/tokens"))))
                .as("admins see every user's tokens").anyMatch(token -> token.get("id").asText().equals(adaTokenId));
        assertThat(kept(rootSession.delete("/v1/admin/users/" + bob.id() + "/tokens/" + adaTokenId)).statusCode())
                .as("a token is revoked through its owner only").isEqualTo(404);
        assertThat(kept(rootSession.delete("/v1/admin/users/" + ada.id() + "/tokens/" + adaTokenId)).statusCode())
                .isEqualTo(200);
        assertThat(kept(Api.token(server, adaToken).get("/v1/me")).statusCode()).isEqualTo(401);
    }

    @Test
    void nonAdminsGet403OnEveryAdminRoute() {
        Api adaSession = Api.session(server, "ada", PASSWORD);
        int checked = 0;
        for (RouteTable.Route route : server.server.routes().routes()) {
            if (route.access().admin()) {
                HttpResponse<String> response = kept(adaSession.send(route.method(), concrete(route),
                        bodyFor(route.method()), "application/json"));
                assertThat(response.statusCode()).as(route.method() + " " + route.template()).isEqualTo(403);
                checked++;
            }
        }
        assertThat(checked).isGreaterThanOrEqualTo(15);
    }

    @Test
    void usersCannotMintAdminTokensOrTokensForOthers() {
        Api adaSession = Api.session(server, "ada", PASSWORD);

        HttpResponse<String> adminScope = kept(adaSession.post("/v1/me/tokens",
                "{\"name\":\"x\",\"scopes\":[\"admin\"]}"));
        assertThat(adminScope.statusCode()).isEqualTo(403);
        assertThat(Api.json(adminScope).get("detail").asText()).contains("admin");

        HttpResponse<String> forBob = kept(adaSession.post("/v1/admin/users/" + bob.id() + "/tokens", "{\"name\":\"x\"}"));
        assertThat(forBob.statusCode()).isEqualTo(403);

        String narrow = createToken(adaSession, "{\"name\":\"narrow\",\"scopes\":[\"generate\",\"account\"]}");
        HttpResponse<String> widen = kept(Api.token(server, narrow).post("/v1/me/tokens",
                "{\"name\":\"wider\",\"scopes\":[\"sessions\"]}"));
        assertThat(widen.statusCode()).as("a token cannot mint broader tokens").isEqualTo(403);

        String noAccount = createToken(adaSession, "{\"name\":\"no account scope\"}");
        assertThat(kept(Api.token(server, noAccount).get("/v1/me/tokens")).statusCode()).isEqualTo(403);
        assertThat(kept(Api.token(server, noAccount).get("/v1/me")).statusCode()).isEqualTo(200);
    }

    @Test
    void cookieChangesNeedTheCsrfTokenAndTheSameSite() {
        Api adaSession = Api.session(server, "ada", PASSWORD);
        String csrf = adaSession.csrfToken;

        adaSession.csrfToken = null;
        HttpResponse<String> noHeader = kept(adaSession.post("/v1/me/tokens", "{\"name\":\"csrf\"}"));
        assertThat(noHeader.statusCode()).isEqualTo(403);
        HttpResponse<String> wrongHeader = kept(adaSession.header("X-PlugAI-CSRF", "guess").post("/v1/me/tokens",
                "{\"name\":\"csrf\"}"));
        assertThat(wrongHeader.statusCode()).isEqualTo(403);
        adaSession.withoutHeader("X-PlugAI-CSRF");
        adaSession.csrfToken = csrf;

        HttpResponse<String> crossSite = kept(adaSession.header("Sec-Fetch-Site", "cross-site")
                .post("/v1/me/tokens", "{\"name\":\"csrf\"}"));
        assertThat(crossSite.statusCode()).isEqualTo(403);
        adaSession.header("Sec-Fetch-Site", "same-origin");

        HttpResponse<String> plainText = kept(adaSession.send("POST", "/v1/me/tokens", "{\"name\":\"csrf\"}",
                "text/plain"));
        assertThat(plainText.statusCode()).isEqualTo(415);
        HttpResponse<String> form = kept(adaSession.send("POST", "/v1/auth/login", "username=ada&password=x",
                "application/x-www-form-urlencoded"));
        assertThat(form.statusCode()).isEqualTo(415);

        assertThat(kept(adaSession.post("/v1/me/tokens", "{\"name\":\"csrf\"}")).statusCode()).isEqualTo(201);
        assertThat(kept(adaSession.get("/v1/me")).statusCode()).as("reads need no CSRF token").isEqualTo(200);
    }

    @Test
    void fiftyWrongPasswordsAreThrottledAndUnknownNamesAnswerTheSame() {
        server.core.identity().users().create("carol", PASSWORD.toCharArray(), Role.USER, null);
        List<String> known = new ArrayList<>();
        List<String> unknown = new ArrayList<>();
        long[] knownNanos = new long[4];
        long[] unknownNanos = new long[4];
        for (int attempt = 0; attempt < 50; attempt++) {
            long start = System.nanoTime();
            HttpResponse<String> carol = kept(Api.anonymous(server).post("/v1/auth/login",
                    "{\"username\":\"carol\",\"password\":\"wrong password " + attempt + "\"}"));
            long middle = System.nanoTime();
            HttpResponse<String> nobody = kept(Api.anonymous(server).post("/v1/auth/login",
                    "{\"username\":\"nobody-here\",\"password\":\"wrong password " + attempt + "\"}"));
            long end = System.nanoTime();
            if (attempt < 4) {
                knownNanos[attempt] = middle - start;
                unknownNanos[attempt] = end - middle;
            }
            known.add(stable(carol).replaceAll("\\d+ s\\.", "N s."));
            unknown.add(stable(nobody).replaceAll("\\d+ s\\.", "N s."));
            assertThat(carol.headers().firstValue("Retry-After").isPresent())
                    .isEqualTo(nobody.headers().firstValue("Retry-After").isPresent());
        }
        assertThat(known).isEqualTo(unknown);
        assertThat(known.getFirst()).startsWith("401 ");
        assertThat(known.getLast()).startsWith("429 ");
        assertThat(known.stream().filter(answer -> answer.startsWith("401")).count()).isEqualTo(5);

        // Both paths compute an Argon2id hash: the unknown name is not answered measurably faster.
        Arrays.sort(knownNanos);
        Arrays.sort(unknownNanos);
        assertThat(unknownNanos[1]).isGreaterThan(knownNanos[1] / 3);

        HttpResponse<String> rightPasswordWhileThrottled = kept(Api.anonymous(server).post("/v1/auth/login",
                "{\"username\":\"carol\",\"password\":\"" + PASSWORD + "\"}"));
        assertThat(rightPasswordWhileThrottled.statusCode()).isEqualTo(429);
    }

    @Test
    void sessionCookiesAreHttpOnlyStrictAndRotateAtLogin() {
        HttpResponse<String> login = kept(Api.anonymous(server).post("/v1/auth/login",
                "{\"username\":\"ada\",\"password\":\"" + PASSWORD + "\"}"));
        String setCookie = login.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(setCookie).startsWith("plugai_session=").contains("HttpOnly").contains("SameSite=Strict")
                .contains("Path=/").doesNotContain("Secure");
        JsonNode me = Api.json(login);
        assertThat(me.get("auth").asText()).isEqualTo("session");
        assertThat(me.get("csrf_token").asText()).hasSizeGreaterThanOrEqualTo(32);
        assertThat(me.get("user").get("username").asText()).isEqualTo("ada");

        Api browser = Api.anonymous(server);
        browser.adoptSession(login);
        String firstCookie = browser.cookie;
        HttpResponse<String> again = kept(browser.post("/v1/auth/login",
                "{\"username\":\"ada\",\"password\":\"" + PASSWORD + "\"}"));
        Api renewed = Api.anonymous(server);
        renewed.adoptSession(again);
        assertThat(renewed.cookie).isNotEqualTo(firstCookie);
        assertThat(kept(Api.anonymous(server).header("Cookie", firstCookie).get("/v1/me")).statusCode())
                .as("the old session ends when the browser logs in again").isEqualTo(401);

        assertThat(kept(renewed.post("/v1/auth/logout", null)).statusCode()).isEqualTo(204);
        assertThat(kept(Api.anonymous(server).header("Cookie", renewed.cookie).get("/v1/me")).statusCode())
                .as("logout ends the session on the server").isEqualTo(401);
    }

    @Test
    void secureCookiesUseTheHostPrefix(@TempDir Path otherData) {
        try (TestServer secure = TestServer.start(otherData, Map.of("auth.secure-cookies", "always"), List.of())) {
            secure.core.identity().users().create("ada", PASSWORD.toCharArray(), Role.USER, null);
            HttpResponse<String> login = Api.anonymous(secure).post("/v1/auth/login",
                    "{\"username\":\"ada\",\"password\":\"" + PASSWORD + "\"}");
            assertThat(login.headers().firstValue("Set-Cookie").orElseThrow())
                    .startsWith("__Host-plugai_session=").contains("Secure").contains("Path=/")
                    .doesNotContainIgnoringCase("Domain=");
        }
    }

    @Test
    void disablingAUserEndsTheirSessionsAndTokensAtOnce() {
        User dave = server.core.identity().users().create("dave", PASSWORD.toCharArray(), Role.USER, null);
        Api daveSession = Api.session(server, "dave", PASSWORD);
        String daveToken = createToken(daveSession, "{\"name\":\"d\"}");
        Api rootSession = Api.session(server, "root", PASSWORD);

        assertThat(kept(rootSession.patch("/v1/admin/users/" + dave.id(), "{\"disabled\":true}")).statusCode())
                .isEqualTo(200);

        assertThat(kept(daveSession.get("/v1/me")).statusCode()).isEqualTo(401);
        assertThat(kept(Api.token(server, daveToken).get("/v1/me")).statusCode()).isEqualTo(401);
        assertThat(kept(Api.anonymous(server).post("/v1/auth/login",
                "{\"username\":\"dave\",\"password\":\"" + PASSWORD + "\"}")).statusCode()).isEqualTo(401);

        assertThat(kept(rootSession.patch("/v1/admin/users/" + dave.id(), "{\"disabled\":false}")).statusCode())
                .isEqualTo(200);
        assertThat(kept(Api.token(server, daveToken).get("/v1/me")).statusCode()).isEqualTo(200);
    }

    @Test
    void invitesRegisterOnceAndFailClearlyWhenUsedExpiredOrRevoked() {
        Api rootSession = Api.session(server, "root", PASSWORD);
        HttpResponse<String> created = kept(rootSession.post("/v1/admin/invites",
                "{\"role\":\"user\",\"note\":\"for Erin\",\"valid_for_hours\":24}"));
        assertThat(created.statusCode()).isEqualTo(201);
        String code = Api.json(created).get("code").asText();
        assertThat(Api.json(created).get("registration_path").asText()).isEqualTo("/register?code=" + code);

        HttpResponse<String> registered = kept(Api.anonymous(server).post("/v1/auth/register",
                "{\"code\":\"" + code + "\",\"username\":\"erin\",\"password\":\"" + PASSWORD + "\",\"display_name\":\"Erin\"}"));
        assertThat(registered.statusCode()).isEqualTo(201);
        assertThat(Api.json(registered).get("user").get("role").asText()).isEqualTo("user");
        Api erin = Api.anonymous(server);
        erin.adoptSession(registered);
        assertThat(kept(erin.get("/v1/me")).statusCode()).as("registration logs in").isEqualTo(200);

        HttpResponse<String> reused = kept(Api.anonymous(server).post("/v1/auth/register",
                "{\"code\":\"" + code + "\",\"username\":\"erin2\",\"password\":\"" + PASSWORD + "\"}"));
        assertInviteInvalid(reused, "used");

        String expiring = Api.json(kept(rootSession.post("/v1/admin/invites", "{}"))).get("code").asText();
        server.core.database().write(handle -> handle.createUpdate(
                "UPDATE invite SET expires_at = '2020-01-01T00:00:00Z' WHERE used_at IS NULL AND revoked_at IS NULL")
                .execute());
        assertInviteInvalid(kept(Api.anonymous(server).post("/v1/auth/register",
                "{\"code\":\"" + expiring + "\",\"username\":\"late\",\"password\":\"" + PASSWORD + "\"}")), "expired");

        HttpResponse<String> toRevoke = kept(rootSession.post("/v1/admin/invites", "{\"role\":\"admin\"}"));
        String revokedCode = Api.json(toRevoke).get("code").asText();
        String revokedId = Api.json(toRevoke).get("info").get("id").asText();
        assertThat(kept(rootSession.delete("/v1/admin/invites/" + revokedId)).statusCode()).isEqualTo(200);
        assertInviteInvalid(kept(Api.anonymous(server).post("/v1/auth/register",
                "{\"code\":\"" + revokedCode + "\",\"username\":\"mallory\",\"password\":\"" + PASSWORD + "\"}")),
                "revoked");

        JsonNode invites = Api.json(kept(rootSession.get("/v1/admin/invites")));
        assertThat(invites.toString()).doesNotContain(code).doesNotContain(revokedCode);
        assertThat(server.core.identity().users().findByUsername("mallory")).isEmpty();
    }

    private static void assertInviteInvalid(HttpResponse<String> response, String why) {
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(Api.json(response).get("type").asText()).endsWith("/invite-invalid");
        assertThat(Api.json(response).get("detail").asText()).contains(why);
    }

    @Test
    void credentialsAreShownMaskedAndTheSecretAppearsNowhere() {
        Api adaSession = Api.session(server, "ada", PASSWORD);
        HttpResponse<String> stored = kept(adaSession.put("/v1/me/credentials/openai",
                "{\"secret\":{\"type\":\"api_key\",\"key\":\"" + SECRET_KEY + "\"}}"));
        assertThat(stored.statusCode()).isEqualTo(200);
        assertThat(Api.json(stored).get("masked").get("key").asText()).isEqualTo("sk-…5b4a");

        // Force errors around the secret: bad shapes, bad types, sharing by a user, a malformed body.
        kept(adaSession.put("/v1/me/credentials/openai", "{\"secret\":{\"type\":\"api_key\",\"key\":\"" + SECRET_KEY
                + "\"},\"shared_with_users\":true}"));
        kept(adaSession.put("/v1/me/credentials/openai", "{\"secret\":{\"type\":\"no_such_type\",\"key\":\""
                + SECRET_KEY + "\"}}"));
        kept(adaSession.put("/v1/me/credentials/openai", "{\"secret\":{\"type\":\"api_key\",\"key\":\"" + SECRET_KEY));
        kept(adaSession.put("/v1/me/credentials/bad%20provider!", "{\"secret\":{\"type\":\"api_key\",\"key\":\""
                + SECRET_KEY + "\"}}"));
        kept(adaSession.put("/v1/me/credentials/azure", "{\"secret\":{\"type\":\"azure_openai\",\"api_key\":\""
                + SECRET_KEY + "\",\"endpoint\":\"not a url\",\"deployment\":\"d\"}}"));
        kept(adaSession.put("/v1/me/credentials/openai", "{\"secret\":{\"type\":\"oauth2_client_credentials\","
                + "\"token_url\":\"ftp://x\",\"client_id\":\"c\",\"client_secret\":\"" + SECRET_KEY + "\"}}"));
        kept(adaSession.get("/v1/me/credentials"));
        kept(adaSession.get("/v1/me/credentials/openai"));
        kept(Api.session(server, "root", PASSWORD).get("/v1/admin/audit?limit=1000"));

        assertThat(Api.json(kept(adaSession.get("/v1/me/credentials/openai"))).get("type").asText()).isEqualTo("api_key");
        for (String body : BODIES) {
            assertThat(body).doesNotContain(SECRET_KEY).doesNotContain("THIS-IS-THE-SECRET");
        }
        assertThat(LOG.toString(StandardCharsets.UTF_8)).doesNotContain("THIS-IS-THE-SECRET")
                .doesNotContain(PASSWORD);
    }

    @Test
    void operatorCredentialsAreAdminOnlyAndMayBeShared() {
        Api rootSession = Api.session(server, "root", PASSWORD);
        HttpResponse<String> stored = kept(rootSession.put("/v1/admin/credentials/anthropic",
                "{\"secret\":{\"type\":\"api_key\",\"key\":\"sk-ant-operator-key-123456\"},\"shared_with_users\":true}"));
        assertThat(stored.statusCode()).isEqualTo(200);
        assertThat(Api.json(stored).get("shared_with_users").asBoolean()).isTrue();
        assertThat(Api.json(kept(rootSession.get("/v1/admin/credentials"))).size()).isEqualTo(1);
        assertThat(kept(Api.session(server, "bob", PASSWORD).get("/v1/me/credentials/anthropic")).statusCode())
                .as("the operator's credential is not the user's").isEqualTo(404);
        assertThat(kept(rootSession.delete("/v1/admin/credentials/anthropic")).statusCode()).isEqualTo(204);
    }

    @Test
    void profilesKeepPreferences() {
        Api bobSession = Api.session(server, "bob", PASSWORD);
        HttpResponse<String> updated = kept(bobSession.patch("/v1/me", """
                {"display_name": "Robert", "preferences": {"preferred_models": {"text": "local/tiny"},
                 "default_parameters": {"local/tiny": {"temperature": 0.2}}, "layout": "chat", "theme": "dark"}}"""));
        assertThat(updated.statusCode()).as(updated.body()).isEqualTo(200);

        JsonNode me = Api.json(kept(bobSession.get("/v1/me"))).get("user");
        assertThat(me.get("display_name").asText()).isEqualTo("Robert");
        assertThat(me.get("preferences").get("preferred_models").get("text").asText()).isEqualTo("local/tiny");
        assertThat(me.get("preferences").get("default_parameters").get("local/tiny").get("temperature").asDouble())
                .isEqualTo(0.2);
        assertThat(me.get("preferences").get("layout").asText()).isEqualTo("chat");

        HttpResponse<String> badLayout = kept(bobSession.patch("/v1/me", "{\"preferences\": {\"layout\": \"grid\"}}"));
        assertThat(badLayout.statusCode()).isEqualTo(400);
        assertThat(Api.json(badLayout).get("detail").asText()).contains("layout");
    }

    @Test
    void adminsManageAccessRulesForModelIdsWithSlashes() {
        Api rootSession = Api.session(server, "root", PASSWORD);
        HttpResponse<String> put = kept(rootSession.put("/v1/admin/access-rules/openai/gpt-4o",
                "{\"allowed_roles\":[],\"allowed_users\":[\"" + ada.id() + "\"]}"));
        assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
        assertThat(Api.json(put).get("model").asText()).isEqualTo("openai/gpt-4o");

        assertThat(Api.json(kept(rootSession.get("/v1/admin/access-rules/openai%2Fgpt-4o"))).get("allowed_users").get(0)
                .asText()).isEqualTo(ada.id());
        assertThat(Api.json(kept(rootSession.get("/v1/admin/access-rules"))).size()).isEqualTo(1);
        assertThat(kept(rootSession.put("/v1/admin/access-rules/x", "{\"allowed_users\":[\"usr_nobody\"]}"))
                .statusCode()).isEqualTo(400);
        assertThat(kept(rootSession.delete("/v1/admin/access-rules/openai/gpt-4o")).statusCode()).isEqualTo(204);
        assertThat(kept(rootSession.get("/v1/admin/access-rules/openai/gpt-4o")).statusCode()).isEqualTo(404);
    }

    @Test
    void adminActionsAndSecurityEventsAreAudited() {
        Api rootSession = Api.session(server, "root", PASSWORD);
        kept(Api.anonymous(server).post("/v1/auth/login", "{\"username\":\"bob\",\"password\":\"not his password\"}"));
        String invite = Api.json(kept(rootSession.post("/v1/admin/invites", "{}"))).get("info").get("id").asText();
        String token = createToken(rootSession, "{\"name\":\"audited\"}");
        kept(rootSession.delete("/v1/me/tokens/" + token.substring(7, 19)));

        JsonNode page = Api.json(kept(rootSession.get("/v1/admin/audit?limit=200")));
        List<String> lines = new ArrayList<>();
        page.get("items").forEach(event -> lines.add(event.get("actor").asText() + " " + event.get("action").asText()
                + " " + event.path("target").asText()));
        assertThat(lines).contains("bob login.failure bob", "root invite.create " + invite,
                "root token.create " + token.substring(7, 19), "root token.revoke " + token.substring(7, 19));
        page.get("items").forEach(event -> assertThat(event.get("request_id").asText()).isNotBlank());
    }
}
