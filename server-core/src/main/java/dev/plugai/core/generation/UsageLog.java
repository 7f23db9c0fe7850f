package dev.plugai.core.generation;

import dev.plugai.core.db.Database;

import java.time.Clock;
import java.util.List;
import java.util.Map;

/**
 * The usage record of every generation (user, token, model, tokens, timings, outcome), for accounting
 * and for the operator's view of who uses what.
 *
 * <p>Thread-safe.
 */
public final class UsageLog {

    private final Database database;
    private final Clock clock;

    public UsageLog(Database database, Clock clock) {
        this.database = database;
        this.clock = clock;
    }

    /**
     * One generation's usage.
     *
     * @param outcome stop, length, cancelled or failed
     */
    public record Usage(String jobId, String userId, String tokenId, String modelId, String requestedModel, String kind,
                        int promptTokens, int completionTokens, Long queueMillis, Long firstTokenMillis,
                        Long totalMillis, Double tokensPerSecond, String outcome) {
    }

    public void record(Usage usage) {
        database.write(handle -> handle.createUpdate("""
                        INSERT INTO usage_record (job_id, user_id, token_id, model_id, requested_model, kind,
                            prompt_tokens, completion_tokens, queue_ms, first_token_ms, total_ms, tokens_per_second,
                            outcome, created_at)
                        VALUES (:jobId, :userId, :tokenId, :modelId, :requestedModel, :kind, :promptTokens,
                            :completionTokens, :queueMillis, :firstTokenMillis, :totalMillis, :tokensPerSecond,
                            :outcome, :createdAt)""")
                .bindMethods(usage)
                .bind("createdAt", clock.instant().toString())
                .execute());
    }

    /** The newest records of a job (normally one), as column maps; for tests and the admin view. */
    public List<Map<String, Object>> forJob(String jobId) {
        return database.read(handle -> handle.createQuery("SELECT * FROM usage_record WHERE job_id = :jobId ORDER BY id")
                .bind("jobId", jobId).mapToMap().list());
    }
}
