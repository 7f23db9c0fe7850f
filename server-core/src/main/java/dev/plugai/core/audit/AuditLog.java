package dev.plugai.core.audit;

import dev.plugai.core.db.Database;
import org.slf4j.MDC;

import java.time.Clock;
import java.time.Instant;
import java.util.List;

/**
 * The audit log: who did what to what, and when. Append-only through this class.
 *
 * <p>Thread-safe.
 */
public final class AuditLog {

    private final Database database;
    private final Clock clock;

    public AuditLog(Database database, Clock clock) {
        this.database = database;
        this.clock = clock;
    }

    /**
     * Appends one event and returns it with its id. Without an explicit request id, the one of the
     * request being served (from the logging context) is recorded.
     */
    public AuditEvent record(String actor, String action, String target, String detail, String requestId) {
        Instant now = clock.instant();
        String request = requestId != null ? requestId : MDC.get("request_id");
        long id = database.write(handle -> handle.createUpdate("""
                        INSERT INTO audit_event (occurred_at, actor, action, target, detail, request_id)
                        VALUES (:occurredAt, :actor, :action, :target, :detail, :requestId)""")
                .bind("occurredAt", now.toString())
                .bind("actor", actor)
                .bind("action", action)
                .bind("target", target)
                .bind("detail", detail)
                .bind("requestId", request)
                .executeAndReturnGeneratedKeys("id")
                .mapTo(Long.class)
                .one());
        return new AuditEvent(id, now, actor, action, target, detail, request);
    }

    /** The newest events first, at most {@code limit}, older than {@code beforeId} when that is positive. */
    public List<AuditEvent> newest(int limit, long beforeId) {
        return database.read(handle -> handle.createQuery("""
                        SELECT id, occurred_at, actor, action, target, detail, request_id
                        FROM audit_event
                        WHERE (:beforeId <= 0 OR id < :beforeId)
                        ORDER BY id DESC
                        LIMIT :limit""")
                .bind("beforeId", beforeId)
                .bind("limit", limit)
                .map((rs, ctx) -> new AuditEvent(rs.getLong("id"), Instant.parse(rs.getString("occurred_at")),
                        rs.getString("actor"), rs.getString("action"), rs.getString("target"),
                        rs.getString("detail"), rs.getString("request_id")))
                .list());
    }

    /** How many events the log holds. */
    public long count() {
        return database.read(handle -> handle.createQuery("SELECT COUNT(*) FROM audit_event")
                .mapTo(Long.class).one());
    }
}
