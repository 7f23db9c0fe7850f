package dev.plugai.core.audit;

import java.time.Instant;

/**
 * One line of the audit log.
 *
 * @param id         its position in the log
 * @param occurredAt when it happened (UTC)
 * @param actor      who did it: a username, or {@code system} / {@code cli}
 * @param action     what was done, a stable dotted name such as {@code invite.create}
 * @param target     what it was done to, if anything
 * @param detail     a short human note, never a secret
 * @param requestId  the request that caused it, when it came through the API
 */
public record AuditEvent(long id, Instant occurredAt, String actor, String action, String target, String detail,
                         String requestId) {
}
