package dev.plugai.core.identity;

import dev.plugai.core.errors.ErrorKind;
import dev.plugai.core.errors.PlugAiException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class IdentityServiceTest {

    @TempDir
    Path folder;

    IdentityFixture fixture;
    IdentityService identity;

    @BeforeEach
    void open() {
        fixture = new IdentityFixture(folder);
        identity = fixture.identity;
    }

    @AfterEach
    void close() {
        fixture.close();
    }

    @Test
    void usernamesAreNormalisedAndUnique() {
        User user = identity.users().create("  Ada.Lovelace ", IdentityFixture.PASSWORD.clone(), Role.USER, null);

        assertThat(user.username()).isEqualTo("ada.lovelace");
        assertThat(user.displayName()).isEqualTo("ada.lovelace");
        assertThatThrownBy(() -> identity.users().create("ADA.lovelace", IdentityFixture.PASSWORD.clone(), Role.USER, null))
                .isInstanceOf(PlugAiException.Conflict.class);
        assertThatThrownBy(() -> identity.users().create("a", IdentityFixture.PASSWORD.clone(), Role.USER, null))
                .isInstanceOf(PlugAiException.InvalidRequest.class);
    }

    @Test
    void passwordsMustBeLongAndNotTheUsername() {
        assertThatThrownBy(() -> identity.users().create("bob", "short pass".toCharArray(), Role.USER, null))
                .hasMessageContaining("at least 12");
        assertThatThrownBy(() -> identity.users().create("bobbybobby12", "BobbyBobby12".toCharArray(), Role.USER, null))
                .hasMessageContaining("not be the username");
        assertThatThrownBy(() -> identity.users().create("bob", "a".repeat(129).toCharArray(), Role.USER, null))
                .hasMessageContaining("at most 128");
        assertThat(identity.users().create("bob", "x".repeat(11).concat("y").toCharArray(), Role.USER, null)).isNotNull();
    }

    @Test
    void loginOpensASessionAndWrongPasswordsAnswerLikeUnknownUsers() {
        fixture.user("ada", Role.USER);

        IdentityService.Login login = identity.login("Ada", IdentityFixture.PASSWORD.clone(), "test");
        assertThat(identity.authenticateSession(login.session().cookieValue())).isPresent();

        Throwable wrongPassword = catchThrowable(() -> identity.login("ada", "wrong password!".toCharArray(), null));
        Throwable unknownUser = catchThrowable(() -> identity.login("nobody", "wrong password!".toCharArray(), null));
        assertThat(wrongPassword).isInstanceOf(PlugAiException.Unauthenticated.class);
        assertThat(unknownUser).isInstanceOf(PlugAiException.Unauthenticated.class)
                .hasMessage(wrongPassword.getMessage());
    }

    @Test
    void repeatedFailuresThrottleKnownAndUnknownAccountsAlike() {
        fixture.user("ada", Role.USER);
        for (String account : List.of("ada", "nobody")) {
            for (int attempt = 0; attempt < 5; attempt++) {
                assertThatThrownBy(() -> identity.login(account, "wrong password!".toCharArray(), null))
                        .isInstanceOf(PlugAiException.Unauthenticated.class);
            }
            assertThatThrownBy(() -> identity.login(account, IdentityFixture.PASSWORD.clone(), null))
                    .as("even the right password waits")
                    .isInstanceOf(PlugAiException.Throttled.class);
        }
        fixture.clock.advance(Duration.ofSeconds(2));
        assertThat(identity.login("ada", IdentityFixture.PASSWORD.clone(), null).user().username()).isEqualTo("ada");
    }

    @Test
    void theThrottleDoublesUpToItsCap() {
        LoginThrottle throttle = new LoginThrottle(fixture.clock, 2, Duration.ofSeconds(10));
        throttle.failure("x");
        throttle.check("x");
        throttle.failure("x");
        assertThat(waitOf(throttle)).isEqualTo(Duration.ofSeconds(1));
        throttle.failure("x");
        assertThat(waitOf(throttle)).isEqualTo(Duration.ofSeconds(2));
        for (int i = 0; i < 10; i++) {
            throttle.failure("x");
        }
        assertThat(waitOf(throttle)).isEqualTo(Duration.ofSeconds(10));
        throttle.success("x");
        throttle.check("x");
    }

    private static Duration waitOf(LoginThrottle throttle) {
        try {
            throttle.check("x");
            return Duration.ZERO;
        } catch (PlugAiException.Throttled throttled) {
            return throttled.retryAfter();
        }
    }

    @Test
    void sessionsEndWhenIdleAtTheirMaxAgeAtLogoutAndWhenTheUserIsDisabled() {
        User ada = fixture.user("ada", Role.USER);
        fixture.user("root", Role.ADMIN);
        LoginSessions sessions = identity.sessions();

        String idle = sessions.create(ada.id(), null).cookieValue();
        fixture.clock.advance(Duration.ofMinutes(59));
        assertThat(sessions.resolve(idle)).as("used within the idle timeout").isPresent();
        fixture.clock.advance(Duration.ofMinutes(59));
        assertThat(sessions.resolve(idle)).as("59 min after last use").isPresent();
        fixture.clock.advance(Duration.ofMinutes(61));
        assertThat(sessions.resolve(idle)).as("61 min after last use").isEmpty();

        String old = sessions.create(ada.id(), null).cookieValue();
        for (int step = 0; step < 30; step++) {
            fixture.clock.advance(Duration.ofMinutes(50));
            sessions.resolve(old);
        }
        assertThat(sessions.resolve(old)).as("past the absolute max age despite activity").isEmpty();

        String loggedOut = sessions.create(ada.id(), null).cookieValue();
        sessions.revoke(loggedOut);
        assertThat(sessions.resolve(loggedOut)).isEmpty();

        String live = sessions.create(ada.id(), null).cookieValue();
        identity.users().update(ada.id(), Optional.empty(), Optional.of(true));
        assertThat(identity.authenticateSession(live)).isEmpty();
    }

    @Test
    void sessionIdsAreStoredOnlyAsDigests() throws Exception {
        User ada = fixture.user("ada", Role.USER);
        String cookie = identity.sessions().create(ada.id(), null).cookieValue();
        fixture.database.checkpoint();

        assertThat(new String(Files.readAllBytes(folder.resolve("plugai.db")), StandardCharsets.ISO_8859_1))
                .doesNotContain(cookie).contains(SecretTokens.sha256Hex(cookie));
    }

    @Test
    void theLastActiveAdminCannotBeDemotedOrDisabled() {
        User root = fixture.user("root", Role.ADMIN);

        assertThatThrownBy(() -> identity.users().update(root.id(), Optional.of(Role.USER), Optional.empty()))
                .isInstanceOf(PlugAiException.Conflict.class);
        assertThatThrownBy(() -> identity.users().update(root.id(), Optional.empty(), Optional.of(true)))
                .isInstanceOf(PlugAiException.Conflict.class);
        User second = fixture.user("second", Role.ADMIN);
        assertThat(identity.users().update(root.id(), Optional.of(Role.USER), Optional.empty()).role()).isEqualTo(Role.USER);
        assertThat(second.isAdmin()).isTrue();
    }

    @Test
    void tokensHaveARecognisableFormatAndAreStoredAsDigests() throws Exception {
        User ada = fixture.user("ada", Role.USER);
        ApiTokens.CreatedToken created = identity.tokens().create(ada, "script", Set.of(), Optional.empty(),
                Optional.empty());

        assertThat(created.token()).matches("plugai_[0-9A-Za-z]{12}_[0-9A-Za-z]{38}");
        assertThat(ApiTokens.looksLikeToken(created.token())).isTrue();
        assertThat(created.info().scopes()).isEqualTo(Scope.defaults());
        assertThat(created.toString()).doesNotContain(created.token());
        Caller caller = identity.authenticateToken(created.token()).orElseThrow();
        assertThat(caller.user().id()).isEqualTo(ada.id());
        assertThat(caller.method()).isEqualTo(Caller.Method.TOKEN);

        fixture.database.checkpoint();
        String file = new String(Files.readAllBytes(folder.resolve("plugai.db")), StandardCharsets.ISO_8859_1);
        assertThat(file).doesNotContain(created.token().substring(20));
    }

    @Test
    void malformedTamperedRevokedAndExpiredTokensAreRefused() {
        User ada = fixture.user("ada", Role.USER);
        ApiTokens tokens = identity.tokens();
        String token = tokens.create(ada, "t", Set.of(), Optional.empty(), Optional.empty()).token();

        char last = token.charAt(token.length() - 1);
        String badChecksum = token.substring(0, token.length() - 1) + (last == 'a' ? 'b' : 'a');
        assertThat(tokens.authenticate(badChecksum)).isEmpty();
        assertThat(tokens.authenticate("plugai_nonsense")).isEmpty();
        assertThat(tokens.authenticate(null)).isEmpty();

        String revoked = tokens.create(ada, "r", Set.of(), Optional.empty(), Optional.empty()).token();
        String revokedId = revoked.substring(7, 19);
        tokens.revoke(ada.id(), revokedId);
        assertThat(tokens.authenticate(revoked)).isEmpty();

        String expiring = tokens.create(ada, "e", Set.of(), Optional.empty(),
                Optional.of(fixture.clock.instant().plus(Duration.ofHours(1)))).token();
        assertThat(tokens.authenticate(expiring)).isPresent();
        fixture.clock.advance(Duration.ofHours(1));
        assertThat(tokens.authenticate(expiring)).isEmpty();
        assertThat(tokens.authenticate(token)).isPresent();
    }

    @Test
    void tokenScopesNeverExceedTheOwnersRole() {
        User ada = fixture.user("ada", Role.USER);
        User root = fixture.user("root", Role.ADMIN);

        assertThatThrownBy(() -> identity.tokens().create(ada, "x", EnumSet.of(Scope.ADMIN), Optional.empty(),
                Optional.empty())).isInstanceOf(PlugAiException.Forbidden.class);
        String adminToken = identity.tokens().create(root, "x", EnumSet.of(Scope.ADMIN), Optional.empty(),
                Optional.empty()).token();
        assertThat(identity.authenticateToken(adminToken).orElseThrow().isAdmin()).isTrue();

        identity.users().create("root2", IdentityFixture.PASSWORD.clone(), Role.ADMIN, null);
        identity.users().update(root.id(), Optional.of(Role.USER), Optional.empty());
        assertThat(identity.authenticateToken(adminToken).orElseThrow().isAdmin())
                .as("a demoted admin's token loses admin rights at once").isFalse();
    }

    @Test
    void anExternallyVouchedUsernameMapsOnlyToAnExistingEnabledAccount() {
        User ada = fixture.user("ada", Role.USER);
        User bob = fixture.user("bob", Role.USER);
        identity.users().update(bob.id(), Optional.empty(), Optional.of(true));

        Caller caller = identity.authenticateExternal("  Ada ").orElseThrow();
        assertThat(caller.user().id()).isEqualTo(ada.id());
        assertThat(caller.method()).isEqualTo(Caller.Method.OIDC);
        assertThat(caller.scopes()).isEqualTo(Scope.allowedFor(Role.USER));
        assertThat(caller.csrfToken()).isEmpty();
        assertThat(identity.authenticateExternal("bob")).as("disabled").isEmpty();
        assertThat(identity.authenticateExternal("carol")).as("no such account, none created").isEmpty();
        assertThat(identity.authenticateExternal("a b")).as("not a username").isEmpty();
        assertThat(identity.users().findByUsername("carol")).isEmpty();
    }

    @Test
    void anotherUsersTokenCannotBeRevoked() {
        User ada = fixture.user("ada", Role.USER);
        User bob = fixture.user("bob", Role.USER);
        String token = identity.tokens().create(ada, "t", Set.of(), Optional.empty(), Optional.empty()).token();

        assertThatThrownBy(() -> identity.tokens().revoke(bob.id(), token.substring(7, 19)))
                .isInstanceOf(PlugAiException.NotFound.class);
        assertThat(identity.authenticateToken(token)).isPresent();
    }

    @Test
    void invitesAreSingleUseExpireAndCanBeRevoked() {
        User root = fixture.user("root", Role.ADMIN);
        Invites invites = identity.invites();

        Invites.CreatedInvite invite = invites.create(root.id(), Role.USER, "for Ada", Duration.ofHours(2));
        User ada = invites.redeem(invite.code(), "ada", IdentityFixture.PASSWORD.clone(), "Ada");
        assertThat(ada.role()).isEqualTo(Role.USER);
        assertThat(ada.displayName()).isEqualTo("Ada");
        assertInviteInvalid(() -> invites.redeem(invite.code(), "ada2", IdentityFixture.PASSWORD.clone(), null), "used");

        Invites.CreatedInvite expiring = invites.create(root.id(), Role.USER, null, Duration.ofHours(1));
        fixture.clock.advance(Duration.ofHours(1));
        assertInviteInvalid(() -> invites.redeem(expiring.code(), "late", IdentityFixture.PASSWORD.clone(), null),
                "expired");

        Invites.CreatedInvite revoked = invites.create(root.id(), Role.ADMIN, null, Duration.ofHours(1));
        invites.revoke(revoked.info().id());
        assertInviteInvalid(() -> invites.redeem(revoked.code(), "eve", IdentityFixture.PASSWORD.clone(), null),
                "revoked");
        assertInviteInvalid(() -> invites.redeem("not-a-code", "eve", IdentityFixture.PASSWORD.clone(), null),
                "not valid");

        assertThat(identity.users().findByUsername("ada2")).isEmpty();
        assertThat(identity.users().findByUsername("eve")).isEmpty();
        assertThat(invites.list()).extracting(info -> info.status(fixture.clock.instant()))
                .containsExactlyInAnyOrder(Invites.Status.USED, Invites.Status.EXPIRED, Invites.Status.REVOKED);
    }

    @Test
    void aFailedRegistrationLeavesTheInviteUnused() {
        User root = fixture.user("root", Role.ADMIN);
        Invites.CreatedInvite invite = identity.invites().create(root.id(), Role.USER, null, Duration.ofHours(2));

        assertThatThrownBy(() -> identity.invites().redeem(invite.code(), "root", IdentityFixture.PASSWORD.clone(), null))
                .isInstanceOf(PlugAiException.Conflict.class);
        assertThat(identity.invites().redeem(invite.code(), "ada", IdentityFixture.PASSWORD.clone(), null)).isNotNull();
    }

    @Test
    void modelAccessRulesRestrictUsersButNeverAdmins() {
        User ada = fixture.user("ada", Role.USER);
        User bob = fixture.user("bob", Role.USER);
        User root = fixture.user("root", Role.ADMIN);
        ModelAccess access = identity.modelAccess();
        Caller adaCaller = sessionCaller(ada);
        Caller bobCaller = sessionCaller(bob);

        assertThat(access.permits(adaCaller, "openai/gpt-4o")).as("open by default").isTrue();
        access.put("openai/gpt-4o", Set.of(), Set.of(ada.id()), root.id());
        assertThat(access.permits(adaCaller, "openai/gpt-4o")).isTrue();
        assertThat(access.permits(bobCaller, "openai/gpt-4o")).isFalse();
        assertThat(access.permits(sessionCaller(root), "openai/gpt-4o")).isTrue();
        access.put("openai/gpt-4o", Set.of(Role.USER), Set.of(), root.id());
        assertThat(access.permits(bobCaller, "openai/gpt-4o")).isTrue();
        access.remove("openai/gpt-4o");
        assertThat(access.list()).isEmpty();

        String limited = identity.tokens().create(ada, "t", Set.of(), Optional.of(List.of("local/tiny")),
                Optional.empty()).token();
        Caller tokenCaller = identity.authenticateToken(limited).orElseThrow();
        assertThat(access.permits(tokenCaller, "local/tiny")).isTrue();
        assertThat(access.permits(tokenCaller, "openai/gpt-4o")).as("outside the token's model list").isFalse();
    }

    private static Caller sessionCaller(User user) {
        return new Caller(user, Caller.Method.SESSION, Scope.allowedFor(user.role()), Optional.empty(),
                Optional.empty(), Optional.of("csrf"));
    }

    private static void assertInviteInvalid(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, String why) {
        assertThatThrownBy(call).isInstanceOfSatisfying(PlugAiException.InvalidRequest.class,
                error -> assertThat(error.kind()).isEqualTo(ErrorKind.INVITE_INVALID)).hasMessageContaining(why);
    }

    private static Throwable catchThrowable(org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
        return org.assertj.core.api.Assertions.catchThrowable(call);
    }
}
