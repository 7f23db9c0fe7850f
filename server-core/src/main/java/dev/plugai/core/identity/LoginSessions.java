package dev.plugai.core.identity;

import dev.plugai.core.db.Database;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Server-side browser sessions. The cookie carries a random 256-bit id; only its SHA-256 is stored,
 * so a copy of the database does not yield live sessions. A session ends after {@code idleTimeout}
 * without use or at {@code maxAge} whatever the use, on logout, when its user is disabled or changes
 * password.
 *
 * <p>Thread-safe.
 */
public final class LoginSessions {

    /** Activity is written back at most this often, so reads do not turn into writes. */
    private static final Duration TOUCH_INTERVAL = Duration.ofMinutes(1);

    private final Database database;
    private final Clock clock;
    private final Duration idleTimeout;
    private final Duration maxAge;

    public LoginSessions(Database database, Clock clock, Duration idleTimeout, Duration maxAge) {
        this.database = database;
        this.clock = clock;
        this.idleTimeout = idleTimeout;
        this.maxAge = maxAge;
    }

    /** A new session; its cookie value is returned once and never stored. */
    public NewSession create(String userId, String userAgent) {
        String cookieValue = SecretTokens.urlSafe(32);
        String csrfToken = SecretTokens.urlSafe(24);
        Instant now = clock.instant();
        Instant expiresAt = now.plus(maxAge);
        database.write(handle -> handle.createUpdate("""
                        INSERT INTO login_session (id_hash, user_id, csrf_token, created_at, last_seen_at, expires_at,
                                                   user_agent)
                        VALUES (:idHash, :userId, :csrf, :now, :now, :expiresAt, :userAgent)""")
                .bind("idHash", SecretTokens.sha256Hex(cookieValue)).bind("userId", userId).bind("csrf", csrfToken)
                .bind("now", now.toString()).bind("expiresAt", expiresAt.toString())
                .bind("userAgent", userAgent == null ? null : userAgent.substring(0, Math.min(300, userAgent.length())))
                .execute());
        return new NewSession(cookieValue, csrfToken, expiresAt);
    }

    /** The live session behind a cookie value, extending its idle deadline; empty when unknown or over. */
    public Optional<ActiveSession> resolve(String cookieValue) {
        if (cookieValue == null || cookieValue.isEmpty() || cookieValue.length() > 100) {
            return Optional.empty();
        }
        String idHash = SecretTokens.sha256Hex(cookieValue);
        Optional<ActiveSession> found = database.read(handle -> handle.createQuery("""
                        SELECT s.id_hash, s.user_id, s.csrf_token, s.last_seen_at, s.expires_at
                        FROM login_session s JOIN app_user u ON u.id = s.user_id
                        WHERE s.id_hash = :idHash AND u.disabled = 0""")
                .bind("idHash", idHash)
                .map((rs, ctx) -> new ActiveSession(rs.getString("id_hash"), rs.getString("user_id"),
                        rs.getString("csrf_token"), Instant.parse(rs.getString("last_seen_at")),
                        Instant.parse(rs.getString("expires_at"))))
                .findOne());
        if (found.isEmpty()) {
            return Optional.empty();
        }
        ActiveSession session = found.get();
        Instant now = clock.instant();
        if (!now.isBefore(session.expiresAt()) || !now.isBefore(session.lastSeenAt().plus(idleTimeout))) {
            database.write(handle -> handle.createUpdate("DELETE FROM login_session WHERE id_hash = :idHash")
                    .bind("idHash", idHash).execute());
            return Optional.empty();
        }
        if (Duration.between(session.lastSeenAt(), now).compareTo(TOUCH_INTERVAL) > 0) {
            database.write(handle -> handle.createUpdate(
                            "UPDATE login_session SET last_seen_at = :now WHERE id_hash = :idHash")
                    .bind("now", now.toString()).bind("idHash", idHash).execute());
        }
        return Optional.of(session);
    }

    /** Ends the session behind this cookie value, if any. */
    public void revoke(String cookieValue) {
        if (cookieValue != null && !cookieValue.isEmpty()) {
            String idHash = SecretTokens.sha256Hex(cookieValue);
            database.write(handle -> handle.createUpdate("DELETE FROM login_session WHERE id_hash = :idHash")
                    .bind("idHash", idHash).execute());
        }
    }

    /** Deletes sessions past either deadline; returns how many. */
    public int purgeExpired() {
        Instant now = clock.instant();
        return database.write(handle -> handle.createUpdate(
                        "DELETE FROM login_session WHERE expires_at <= :now OR last_seen_at <= :idleCut")
                .bind("now", now.toString()).bind("idleCut", now.minus(idleTimeout).toString()).execute());
    }

    /**
     * A session just made.
     *
     * @param cookieValue the secret for the cookie, shown once
     * @param csrfToken   the value state-changing requests must repeat in {@code X-PlugAI-CSRF}
     * @param expiresAt   the absolute end
     */
    public record NewSession(String cookieValue, String csrfToken, Instant expiresAt) {
        @Override
        public String toString() {
            return "NewSession[expiresAt=" + expiresAt + "]";
        }
    }

    /** A live session. */
    public record ActiveSession(String idHash, String userId, String csrfToken, Instant lastSeenAt, Instant expiresAt) {
    }
}
