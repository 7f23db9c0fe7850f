package dev.plugai.core.generation;

import dev.plugai.core.MutableClock;
import dev.plugai.core.db.Database;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/** Usage is written in the background, in batches, and none of it is lost on flush or close. */
class UsageLogTest {

    @TempDir
    Path folder;

    private Database database;
    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));

    @BeforeEach
    void open() {
        database = Database.open(folder.resolve("plugai.db"), Duration.ofSeconds(5));
    }

    @AfterEach
    void close() {
        database.close();
    }

    private static UsageLog.Usage usage(String jobId) {
        return new UsageLog.Usage(jobId, null, null, "remote/m", "remote/m", "generate", 3, 4, null, 5L, 6L, 7.0,
                "stop");
    }

    private long rows() {
        return database.read(handle -> handle.createQuery("SELECT COUNT(*) FROM usage_record").mapTo(Long.class).one());
    }

    @Test
    void recordsFromManyThreadsAreAllWrittenByTheTimeFlushReturns() throws Exception {
        try (UsageLog log = new UsageLog(database, clock)) {
            ExecutorService threads = Executors.newFixedThreadPool(8);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int thread = t;
                done.add(threads.submit(() -> {
                    for (int i = 0; i < 500; i++) {
                        log.record(usage("job-" + thread + "-" + i));
                    }
                }));
            }
            for (Future<?> future : done) {
                future.get();
            }
            threads.shutdown();

            log.flush();

            assertThat(rows()).isEqualTo(4000);
        }
    }

    @Test
    void aRecordKeepsTheTimeItWasMadeAndIsReadBackByJob() {
        try (UsageLog log = new UsageLog(database, clock)) {
            log.record(usage("job-a"));
            clock.advance(Duration.ofHours(1));

            assertThat(log.forJob("job-a")).singleElement().satisfies(row -> {
                assertThat(row.get("created_at")).isEqualTo("2026-01-01T00:00:00Z");
                assertThat(row.get("completion_tokens")).isEqualTo(4);
            });
        }
    }

    @Test
    void closeWritesWhatIsQueuedAndLaterRecordsAreWrittenByTheirCallers() {
        UsageLog log = new UsageLog(database, clock);
        for (int i = 0; i < 100; i++) {
            log.record(usage("job-" + i));
        }
        log.close();
        assertThat(rows()).isEqualTo(100);

        log.record(usage("late"));

        assertThat(rows()).isEqualTo(101);
    }
}
