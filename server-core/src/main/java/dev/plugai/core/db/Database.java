package dev.plugai.core.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.ConnectionFactory;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The SQLite database in the data folder: opened with WAL, a busy timeout and foreign keys, migrated
 * by Flyway on open, and used through Jdbi.
 *
 * <p>Writes go through {@link #write}: one writer at a time inside this process (a fair lock, so
 * writers queue instead of polling), each in a {@code BEGIN IMMEDIATE} transaction so a second process
 * (e.g. the offline CLI) waits for the busy timeout instead of failing with "database is locked".
 * Reads through {@link #read} run concurrently under WAL, on a small pool of open connections.
 *
 * <p>Thread-safe.
 */
public final class Database implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Database.class);

    private final Path file;
    private final Jdbi jdbi;
    private final Jdbi writer;
    private final Connection writerConnection;
    private final ReentrantLock writeLock = new ReentrantLock(true);
    private final int appliedMigrations;

    private final HikariDataSource readers;

    private Database(Path file, HikariDataSource readers, Connection writerConnection, int appliedMigrations) {
        this.file = file;
        this.readers = readers;
        this.jdbi = Jdbi.create(readers);
        this.writerConnection = writerConnection;
        // Writes share one long-lived connection (used under the write lock only): opening a SQLite
        // connection per write costs more than most writes do.
        this.writer = Jdbi.create(new ConnectionFactory() {
            @Override
            public Connection openConnection() {
                return writerConnection;
            }

            @Override
            public void closeConnection(Connection connection) {
                // kept open until the database is closed
            }
        });
        this.appliedMigrations = appliedMigrations;
    }

    /** Opens (creating if needed) and migrates the database file. */
    public static Database open(Path file, Duration busyTimeout) {
        SQLiteDataSource dataSource = new SQLiteDataSource(connectionConfig(busyTimeout));
        dataSource.setUrl("jdbc:sqlite:" + file.toAbsolutePath());
        MigrateResult result = Flyway.configure()
                .dataSource(dataSource)
                .locations("classpath:dev/plugai/core/db/migration")
                .failOnMissingLocations(true)
                .validateMigrationNaming(true)
                .load()
                .migrate();
        if (result.migrationsExecuted > 0) {
            LOG.info("Database migrated to version {} ({} migrations applied)", result.targetSchemaVersion,
                    result.migrationsExecuted);
        }
        HikariConfig pool = new HikariConfig();
        pool.setDataSource(dataSource);
        pool.setPoolName("plugai-db-readers");
        pool.setMaximumPoolSize(4);
        pool.setMinimumIdle(1);
        pool.setAutoCommit(true);
        pool.setReadOnly(false);
        HikariDataSource readers = new HikariDataSource(pool);
        try {
            return new Database(file, readers, dataSource.getConnection(), result.migrationsExecuted);
        } catch (SQLException e) {
            readers.close();
            throw new IllegalStateException("Cannot open the database " + file.getFileName(), e);
        }
    }

    static SQLiteConfig connectionConfig(Duration busyTimeout) {
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
        config.setBusyTimeout((int) Math.min(Integer.MAX_VALUE, busyTimeout.toMillis()));
        config.enforceForeignKeys(true);
        config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
        return config;
    }

    /** The file this database lives in. */
    public Path file() {
        return file;
    }

    /** How many migrations the last {@link #open} applied (0 when the schema was current). */
    public int appliedMigrations() {
        return appliedMigrations;
    }

    /** Runs {@code callback} in one write transaction ({@code BEGIN IMMEDIATE}); commits unless it throws. */
    public <R, X extends Exception> R write(HandleCallback<R, X> callback) throws X {
        writeLock.lock();
        try {
            return writer.inTransaction(callback);
        } finally {
            writeLock.unlock();
        }
    }

    /** Runs {@code callback} on a connection without a write transaction. */
    public <R, X extends Exception> R read(HandleCallback<R, X> callback) throws X {
        return jdbi.withHandle(callback);
    }

    /** Moves the write-ahead log into the main file and truncates it (cheap when the log is small). */
    public void checkpoint() {
        writeLock.lock();
        try {
            writer.useHandle(handle -> handle.execute("PRAGMA wal_checkpoint(TRUNCATE)"));
        } finally {
            writeLock.unlock();
        }
    }

    /** Checkpoints the log so the file is complete on its own, then closes the writer connection. */
    @Override
    public void close() {
        try {
            checkpoint();
        } catch (RuntimeException e) {
            LOG.warn("Final WAL checkpoint failed; SQLite will recover the log on next open", e);
        }
        writeLock.lock();
        try {
            writerConnection.close();
        } catch (SQLException e) {
            LOG.warn("Closing the database connection failed", e);
        } finally {
            writeLock.unlock();
        }
        readers.close();
    }
}
