package dev.plugai.core.identity;

import dev.plugai.core.audit.AuditLog;
import dev.plugai.core.config.PlugAiConfig;
import dev.plugai.core.db.Database;
import dev.plugai.core.errors.PlugAiException;

import java.time.Clock;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Authentication: password login into a browser session, session and token look-up into a
 * {@link Caller}, logout. Also holds the identity stores so the HTTP layer and the CLI share them.
 *
 * <p>Failed logins for an unknown user, a disabled user and a wrong password answer the same and
 * cost the same (a decoy hash is verified for unknown users).
 *
 * <p>Thread-safe.
 */
public final class IdentityService {

    private static final String LOGIN_FAILED = "The username or password is wrong.";

    private final UserDirectory users;
    private final PasswordHasher hasher;
    private final LoginSessions sessions;
    private final ApiTokens tokens;
    private final Invites invites;
    private final ModelAccess modelAccess;
    private final LoginThrottle throttle;
    private final AuditLog audit;

    public IdentityService(Database database, PlugAiConfig.AuthSettings settings, AuditLog audit, Clock clock) {
        this.hasher = new PasswordHasher(settings.passwordHashConcurrency());
        this.users = new UserDirectory(database, hasher, clock);
        this.sessions = new LoginSessions(database, clock, settings.sessionIdleTimeout(), settings.sessionMaxAge());
        this.tokens = new ApiTokens(database, clock);
        this.invites = new Invites(database, users, clock);
        this.modelAccess = new ModelAccess(database, clock);
        this.throttle = new LoginThrottle(clock, settings.loginFreeFailures(), settings.loginMaxDelay());
        this.audit = audit;
    }

    public UserDirectory users() {
        return users;
    }

    public LoginSessions sessions() {
        return sessions;
    }

    public ApiTokens tokens() {
        return tokens;
    }

    public Invites invites() {
        return invites;
    }

    public ModelAccess modelAccess() {
        return modelAccess;
    }

    /** Checks a username and password and opens a new session; throws Unauthenticated or Throttled. */
    public Login login(String username, char[] password, String userAgent) {
        User user = checkPassword(username, password);
        LoginSessions.NewSession session = sessions.create(user.id(), userAgent);
        return new Login(user, session);
    }

    /** Checks a username and password (throttled, audited on failure); throws Unauthenticated or Throttled. */
    public User checkPassword(String username, char[] password) {
        String account = username == null ? "" : username.strip().toLowerCase(Locale.ROOT);
        if (account.isEmpty() || account.length() > 64 || password == null || password.length == 0
                || password.length > PasswordPolicy.MAX_LENGTH * 2) {
            throw new PlugAiException.Unauthenticated(LOGIN_FAILED);
        }
        throttle.check(account);
        Optional<User> user = users.findByUsername(account);
        boolean valid = user.isPresent()
                ? hasher.verify(password, users.passwordHash(user.get().id()).orElse("")) && !user.get().disabled()
                : hasher.verifyDecoy(password);
        if (!valid) {
            throttle.failure(account);
            audit.record(account, "login.failure", account, null, null);
            throw new PlugAiException.Unauthenticated(LOGIN_FAILED);
        }
        throttle.success(account);
        return user.get();
    }

    /** The caller behind a session cookie value, if the session is live and its user enabled. */
    public Optional<Caller> authenticateSession(String cookieValue) {
        return sessions.resolve(cookieValue).flatMap(session -> users.findById(session.userId())
                .filter(user -> !user.disabled())
                .map(user -> new Caller(user, Caller.Method.SESSION, Scope.allowedFor(user.role()), Optional.empty(),
                        Optional.empty(), Optional.of(session.csrfToken()))));
    }

    /** The caller behind an API token, if it is live and its user enabled. Scopes never exceed the role. */
    public Optional<Caller> authenticateToken(String token) {
        return tokens.authenticate(token).flatMap(info -> users.findById(info.userId())
                .filter(user -> !user.disabled())
                .map(user -> {
                    Set<Scope> scopes = EnumSet.copyOf(info.scopes());
                    scopes.retainAll(Scope.allowedFor(user.role()));
                    return new Caller(user, Caller.Method.TOKEN, scopes, info.models(), Optional.of(info.id()),
                            Optional.empty());
                }));
    }

    /**
     * The caller for a username an external identity provider vouched for (its token already verified), if
     * that local account exists and is enabled. Accounts are never created here: an admin creates them.
     */
    public Optional<Caller> authenticateExternal(String username) {
        String account;
        try {
            account = UserDirectory.normalise(username);
        } catch (PlugAiException.InvalidRequest e) {
            return Optional.empty();
        }
        return users.findByUsername(account)
                .filter(user -> !user.disabled())
                .map(user -> new Caller(user, Caller.Method.OIDC, Scope.allowedFor(user.role()), Optional.empty(),
                        Optional.empty(), Optional.empty()));
    }

    /** A successful login: the user and the session to set as a cookie. */
    public record Login(User user, LoginSessions.NewSession session) {
    }
}
