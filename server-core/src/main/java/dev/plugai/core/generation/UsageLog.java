package dev.plugai.core.generation;

import dev.plugai.core.db.Database;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The usage record of every generation (user, token, model, tokens, timings, outcome), for accounting
 * and for the operator's view of who uses what.
 *
 * <p>Records are written by one background writer, many to a transaction, so an answer never waits for the
 * database (nor for the write lock or a WAL checkpoint behind it). {@link #flush} waits until everything
 * recorded so far is written; {@link #close} flushes and stops the writer. When the queue is full (the disk is
 * far behind), the caller writes its record itself rather than dropping it. Thread-safe.
 */
public final class UsageLog implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(UsageLog.class);
    private static final int QUEUE_CAPACITY = 50_000;
    private static final int BATCH = 500;
    private static final long FLUSH_WAIT_MILLIS = 10_000;

    private final Database database;
    private final Clock clock;
    private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>(QUEUE_CAPACITY);
    /** Records accepted and not yet written (or given up on). */
    private final AtomicInteger unwritten = new AtomicInteger();
    private final Thread writer;
    private volatile boolean closed;

    public UsageLog(Database database, Clock clock) {
        this.database = database;
        this.clock = clock;
        this.writer = Thread.ofPlatform().daemon().name("plugai-usage-writer").start(this::writeLoop);
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

    /** A record with the time it was made, so a late write keeps the true time. */
    private record Pending(Usage usage, Instant at) {
    }

    /** Records {@code usage}; it is written shortly after, in the background. */
    public void record(Usage usage) {
        Pending pending = new Pending(usage, clock.instant());
        unwritten.incrementAndGet();
        if (closed || !queue.offer(pending)) {
            try {
                write(List.of(pending));
            } finally {
                unwritten.decrementAndGet();
            }
        }
    }

    /** Waits (up to 10 s) until every record made before the call is written. */
    public void flush() {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(FLUSH_WAIT_MILLIS);
        while (unwritten.get() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** The newest records of a job (normally one), as column maps; for tests and the admin view. */
    public List<Map<String, Object>> forJob(String jobId) {
        flush();
        return database.read(handle -> handle.createQuery("SELECT * FROM usage_record WHERE job_id = :jobId ORDER BY id")
                .bind("jobId", jobId).mapToMap().list());
    }

    /** Writes what is queued and stops the writer; later records are written by their callers. */
    @Override
    public void close() {
        flush();
        closed = true;
        writer.interrupt();
        try {
            writer.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        List<Pending> rest = new ArrayList<>();
        queue.drainTo(rest);
        writeCounted(rest);
    }

    private void writeLoop() {
        List<Pending> batch = new ArrayList<>(BATCH);
        while (!closed) {
            try {
                Pending first = queue.poll(1, TimeUnit.SECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, BATCH - 1);
                writeCounted(batch);
            } catch (InterruptedException e) {
                return; // closing: close() writes what is left
            } finally {
                batch.clear();
            }
        }
    }

    private void writeCounted(List<Pending> batch) {
        if (batch.isEmpty()) {
            return;
        }
        try {
            write(batch);
        } catch (RuntimeException e) {
            LOG.warn("Writing {} usage records failed; they are lost", batch.size(), e);
        } finally {
            unwritten.addAndGet(-batch.size());
        }
    }

    private void write(List<Pending> batch) {
        database.write(handle -> {
            PreparedBatch insert = handle.prepareBatch("""
                    INSERT INTO usage_record (job_id, user_id, token_id, model_id, requested_model, kind,
                        prompt_tokens, completion_tokens, queue_ms, first_token_ms, total_ms, tokens_per_second,
                        outcome, created_at)
                    VALUES (:jobId, :userId, :tokenId, :modelId, :requestedModel, :kind, :promptTokens,
                        :completionTokens, :queueMillis, :firstTokenMillis, :totalMillis, :tokensPerSecond,
                        :outcome, :createdAt)""");
            for (Pending pending : batch) {
                insert.bindMethods(pending.usage()).bind("createdAt", pending.at().toString()).add();
            }
            return insert.execute();
        });
    }
}
