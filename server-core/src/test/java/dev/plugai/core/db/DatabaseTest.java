package dev.plugai.core.db;

import dev.plugai.core.audit.AuditLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DatabaseTest {

    private static final Duration BUSY_TIMEOUT = Duration.ofSeconds(10);

    @TempDir
    Path folder;

    @Test
    void migrationsRunOnAFreshFileAndAreIdempotentOnRestart() {
        Path file = folder.resolve("plugai.db");
        try (Database first = Database.open(file, BUSY_TIMEOUT)) {
            assertThat(first.appliedMigrations()).isGreaterThan(0);
            new AuditLog(first, Clock.systemUTC()).record("cli", "test.write", null, null, null);
        }
        try (Database second = Database.open(file, BUSY_TIMEOUT)) {
            assertThat(second.appliedMigrations()).isZero();
            assertThat(new AuditLog(second, Clock.systemUTC()).count()).isEqualTo(1);
            List<String> tables = second.read(handle -> handle.createQuery(
                    "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").mapTo(String.class).list());
            assertThat(tables).contains("server_setting", "audit_event", "flyway_schema_history");
        }
    }

    @Test
    void connectionsUseWalForeignKeysAndTheBusyTimeout() {
        try (Database database = Database.open(folder.resolve("plugai.db"), Duration.ofMillis(4321))) {
            assertThat(pragma(database, "journal_mode")).isEqualTo("wal");
            assertThat(pragma(database, "foreign_keys")).isEqualTo("1");
            assertThat(pragma(database, "busy_timeout")).isEqualTo("4321");
            assertThat(pragma(database, "synchronous")).as("NORMAL").isEqualTo("1");
        }
    }

    @Test
    void concurrentWritersNeverSeeDatabaseLocked() throws Exception {
        int threads = 8;
        int insertsPerThread = 200;
        try (Database database = Database.open(folder.resolve("plugai.db"), BUSY_TIMEOUT)) {
            AuditLog audit = new AuditLog(database, Clock.systemUTC());
            List<String> actors = runConcurrently(threads, thread -> {
                String actor = "writer-" + thread;
                for (int i = 0; i < insertsPerThread; i++) {
                    audit.record(actor, "test.insert", "row-" + i, null, null);
                }
                return actor;
            });
            assertThat(audit.count()).isEqualTo((long) threads * insertsPerThread);
            Set<String> targets = database.read(handle -> handle.createQuery(
                    "SELECT actor || '/' || target FROM audit_event").mapTo(String.class).set());
            assertThat(targets).hasSize(threads * insertsPerThread);
            assertThat(actors).hasSize(threads);
        }
    }

    @Test
    void twoProcessesWorthOfConnectionsShareTheFileWithoutLockErrors() throws Exception {
        // Two Database objects stand for the server and the offline CLI: separate locks, one file.
        Path file = folder.resolve("plugai.db");
        try (Database server = Database.open(file, BUSY_TIMEOUT); Database cli = Database.open(file, BUSY_TIMEOUT)) {
            AuditLog serverLog = new AuditLog(server, Clock.systemUTC());
            AuditLog cliLog = new AuditLog(cli, Clock.systemUTC());
            runConcurrently(4, thread -> {
                Database database = thread % 2 == 0 ? server : cli;
                for (int i = 0; i < 100; i++) {
                    // Read then write in one transaction: the pattern that fails at once without BEGIN IMMEDIATE.
                    database.write(handle -> {
                        long before = handle.createQuery("SELECT COUNT(*) FROM audit_event").mapTo(Long.class).one();
                        return handle.createUpdate("INSERT INTO audit_event (occurred_at, actor, action, target) "
                                        + "VALUES ('2026-01-01T00:00:00Z', :actor, 'test.rw', :target)")
                                .bind("actor", "t" + thread).bind("target", Long.toString(before)).execute();
                    });
                }
                return thread;
            });
            assertThat(serverLog.count()).isEqualTo(400);
            assertThat(cliLog.count()).isEqualTo(400);
        }
    }

    @Test
    void aFailedWriteLeavesNoPartialRows() {
        try (Database database = Database.open(folder.resolve("plugai.db"), BUSY_TIMEOUT)) {
            assertThatThrownBy(() -> database.write(handle -> {
                handle.execute("INSERT INTO server_setting (name, value, updated_at) VALUES ('a', '1', 'now')");
                handle.execute("INSERT INTO server_setting (name, value, updated_at) VALUES ('a', '2', 'now')");
                return null;
            })).hasMessageContaining("UNIQUE");

            long rows = database.read(handle -> handle.createQuery("SELECT COUNT(*) FROM server_setting")
                    .mapTo(Long.class).one());
            assertThat(rows).isZero();
        }
    }

    private static String pragma(Database database, String name) {
        return database.read(handle -> handle.createQuery("PRAGMA " + name).mapTo(String.class).one())
                .toLowerCase(java.util.Locale.ROOT);
    }

    private interface Work<T> {
        T run(int thread) throws Exception;
    }

    private static <T> List<T> runConcurrently(int threads, Work<T> work) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<T>> futures = new ArrayList<>();
            for (int thread = 0; thread < threads; thread++) {
                int index = thread;
                futures.add(pool.submit(() -> {
                    start.await();
                    return work.run(index);
                }));
            }
            start.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> future : futures) {
                results.add(future.get());
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }
}
