package dev.plugai.core;

import dev.plugai.core.audit.AuditLog;
import dev.plugai.core.config.PlugAiConfig;
import dev.plugai.core.db.Database;
import dev.plugai.core.identity.IdentityService;
import dev.plugai.core.identity.credentials.CredentialVault;
import dev.plugai.core.identity.credentials.MasterKeyStore;
import dev.plugai.core.registry.ModelDiscovery;
import dev.plugai.core.registry.ModelRegistry;
import dev.plugai.core.runners.LocalFormats;
import dev.plugai.core.storage.DataDirectory;
import io.micrometer.core.instrument.MeterRegistry;

import java.time.Clock;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.time.Instant;

/**
 * The domain, assembled: the data folder, the database and the services built on them. The HTTP
 * layer and the offline CLI both start from here; nothing in it knows HTTP.
 *
 * <p>Thread-safe once opened; {@link #close()} once, after the last request.
 */
public final class PlugAiCore implements AutoCloseable {

    private final PlugAiConfig config;
    private final Clock clock;
    private final Instant startedAt;
    private final DataDirectory dataDirectory;
    private final Database database;
    private final AuditLog auditLog;
    private final IdentityService identity;
    private final CredentialVault credentials;
    private final ModelRegistry models;
    private final ModelDiscovery discovery;
    private final MeterRegistry meters;

    private PlugAiCore(PlugAiConfig config, Clock clock, DataDirectory dataDirectory, Database database,
                       MeterRegistry meters) {
        this.config = config;
        this.clock = clock;
        this.startedAt = clock.instant();
        this.dataDirectory = dataDirectory;
        this.database = database;
        this.auditLog = new AuditLog(database, clock);
        this.identity = new IdentityService(database, config.auth(), auditLog, clock);
        MasterKeyStore keys = MasterKeyStore.in(dataDirectory);
        keys.current(); // the master key is made at first start, not at first use
        this.credentials = new CredentialVault(database, keys, clock);
        this.models = new ModelRegistry(database, clock);
        List<Path> modelFolders = new ArrayList<>(List.of(dataDirectory.models()));
        modelFolders.addAll(config.models().extraDirs());
        this.discovery = new ModelDiscovery(models, LocalFormats.probes(), modelFolders,
                config.models().rescanInterval());
        this.meters = meters;
    }

    /** Creates the data folder layout if needed, opens and migrates the database. */
    public static PlugAiCore open(PlugAiConfig config, Clock clock, MeterRegistry meters) {
        DataDirectory dataDirectory = DataDirectory.open(config.dataDir());
        Database database = Database.open(dataDirectory.databaseFile(), config.database().busyTimeout());
        return new PlugAiCore(config, clock, dataDirectory, database, meters);
    }

    public PlugAiConfig config() {
        return config;
    }

    public Clock clock() {
        return clock;
    }

    public Instant startedAt() {
        return startedAt;
    }

    public DataDirectory dataDirectory() {
        return dataDirectory;
    }

    public Database database() {
        return database;
    }

    public AuditLog auditLog() {
        return auditLog;
    }

    public IdentityService identity() {
        return identity;
    }

    /** Provider credentials of users and of the operator, encrypted at rest. */
    public CredentialVault credentials() {
        return credentials;
    }

    /** The model registry. */
    public ModelRegistry models() {
        return models;
    }

    /** Finds local models on disk; {@link #start()} runs it in the background. */
    public ModelDiscovery discovery() {
        return discovery;
    }

    /** Starts the background work a server needs (model discovery); the offline CLI does not call it. */
    public void start() {
        discovery.start();
    }

    public MeterRegistry meters() {
        return meters;
    }

    @Override
    public void close() {
        discovery.close();
        database.close();
    }
}
