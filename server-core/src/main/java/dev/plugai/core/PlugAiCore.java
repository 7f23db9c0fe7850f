package dev.plugai.core;

import dev.plugai.core.attachments.AddressPolicy;
import dev.plugai.core.attachments.AttachmentResolver;
import dev.plugai.core.attachments.SafeImageFetcher;
import dev.plugai.core.audit.AuditLog;
import dev.plugai.core.config.PlugAiConfig;
import dev.plugai.core.db.Database;
import dev.plugai.core.identity.IdentityService;
import dev.plugai.core.identity.credentials.AccessTokens;
import dev.plugai.core.identity.credentials.CredentialVault;
import dev.plugai.core.identity.credentials.MasterKeyStore;
import dev.plugai.core.registry.ModelDiscovery;
import dev.plugai.core.registry.ModelRegistry;
import dev.plugai.core.runners.LocalFormats;
import dev.plugai.core.generation.EmbeddingService;
import dev.plugai.core.generation.GenerationService;
import dev.plugai.core.generation.UsageLog;
import dev.plugai.core.lifecycle.MemoryBudget;
import dev.plugai.core.lifecycle.ModelManager;
import dev.plugai.core.registry.ModelRecord;
import dev.plugai.core.registry.ParameterValidator;
import dev.plugai.core.providers.ProviderDirectory;
import dev.plugai.core.providers.ProviderKinds;
import dev.plugai.core.providers.ProviderResilience;
import dev.plugai.core.providers.ProviderService;
import okhttp3.OkHttpClient;
import dev.plugai.core.scheduler.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import dev.plugai.core.storage.DataDirectory;
import dev.plugai.core.system.ServerSettings;
import io.micrometer.core.instrument.MeterRegistry;

import java.time.Clock;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.time.Instant;

/**
 * The domain, assembled: the data folder, the database and the services built on them. The HTTP
 * layer and the offline CLI both start from here; nothing in it knows HTTP.
 *
 * <p>Thread-safe once opened; {@link #close()} once, after the last request.
 */
public final class PlugAiCore implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PlugAiCore.class);

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
    private final ModelManager modelManager;
    private final Scheduler scheduler;
    private final GenerationService generation;
    private final EmbeddingService embeddings;
    private final ProviderService providers;
    private final OkHttpClient http;
    private final ServerSettings serverSettings;
    private final UsageLog usage;
    private final ScheduledExecutorService timer;
    private final ExecutorService workers;
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
        this.serverSettings = new ServerSettings(database, clock);
        List<Path> modelFolders = new ArrayList<>(List.of(dataDirectory.models()));
        modelFolders.addAll(config.models().extraDirs());
        this.discovery = new ModelDiscovery(models, LocalFormats.probes(), modelFolders,
                config.models().rescanInterval());
        this.timer = Executors.newScheduledThreadPool(1, Thread.ofPlatform().daemon().name("plugai-timer").factory());
        this.workers = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("plugai-work-", 0).factory());
        MemoryBudget budget = config.models().memoryBudgetBytes() > 0
                ? new MemoryBudget(config.models().memoryBudgetBytes()) : MemoryBudget.automatic();
        this.modelManager = new ModelManager(models, LocalFormats.runners(), budget, clock, workers,
                config.models().keepAlive(), config.models().slotsPerModel(), meters);
        this.scheduler = new Scheduler(modelManager, workers, timer, config.models().queueSize(),
                modelManager::slots, clock, meters);
        this.usage = new UsageLog(database, clock);
        this.http = new OkHttpClient.Builder()
                .connectTimeout(Duration.ofSeconds(10))
                .readTimeout(config.providers().readTimeout()) // the wait for the first byte and between chunks
                .build();
        ProviderKinds kinds = ProviderKinds.builtIn(new AccessTokens(http, clock));
        this.providers = new ProviderService(new ProviderDirectory(database, kinds, clock), kinds, credentials, models,
                http, clock);
        this.generation = new GenerationService(models, identity.modelAccess(), modelManager, scheduler,
                new ParameterValidator(), usage, providers, new ProviderResilience(config.providers().retries(),
                        config.providers().retryBackoff(), config.providers().cooldown()), attachments(config, http));
        this.embeddings = new EmbeddingService(generation, modelManager, usage, clock, providers);
        this.meters = meters;
    }

    private static AttachmentResolver attachments(PlugAiConfig config, OkHttpClient http) {
        PlugAiConfig.AttachmentSettings settings = config.attachments();
        AddressPolicy policy = settings.allowPrivateNetworks()
                ? AddressPolicy.strict().allowingPrivateNetworks() : AddressPolicy.strict();
        return new AttachmentResolver(new SafeImageFetcher(http, policy, settings.maxBytes(), settings.fetchTimeout()),
                settings.maxBytes());
    }

    /**
     * Creates the data folder layout if needed, opens and migrates the database, and applies the providers
     * the config file defines.
     *
     * @throws dev.plugai.core.config.ConfigException when a provider defined in the config file is invalid
     */
    public static PlugAiCore open(PlugAiConfig config, Clock clock, MeterRegistry meters) {
        DataDirectory dataDirectory = DataDirectory.open(config.dataDir());
        Database database = Database.open(dataDirectory.databaseFile(), config.database().busyTimeout());
        PlugAiCore core = new PlugAiCore(config, clock, dataDirectory, database, meters);
        try {
            core.providers.directory().applyConfigured(config.providers().instances());
        } catch (RuntimeException e) {
            core.close();
            throw e;
        }
        return core;
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

    public ModelManager modelManager() {
        return modelManager;
    }

    public Scheduler scheduler() {
        return scheduler;
    }

    public GenerationService generation() {
        return generation;
    }

    /** Remote providers: configuration, model listing, credentials to generators. */
    public ProviderService providers() {
        return providers;
    }

    public EmbeddingService embeddings() {
        return embeddings;
    }

    public UsageLog usage() {
        return usage;
    }

    /**
     * Starts the background work a server needs: model discovery, the default model's load and the
     * keep-alive sweep. The offline CLI does not call it.
     */
    public void start() {
        discovery.start();
        chooseDefaultModel().ifPresent(modelId -> {
            LOG.info("Default model: {}", modelId);
            modelManager.setDefault(modelId).exceptionally(error -> null);
        });
        long sweep = Math.max(5, Math.min(60, config.models().keepAlive().toSeconds() / 2));
        timer.scheduleWithFixedDelay(() -> {
            try {
                modelManager.unloadIdle();
            } catch (RuntimeException e) {
                LOG.warn("Unloading idle models failed", e);
            }
        }, sweep, sweep, TimeUnit.SECONDS);
    }

    /** Server-wide choices made through the API, kept across restarts. */
    public ServerSettings serverSettings() {
        return serverSettings;
    }

    /**
     * The default model an admin named through the API, else the configured one, else the smallest
     * available local text model.
     */
    private Optional<String> chooseDefaultModel() {
        Optional<String> named = serverSettings.get(ServerSettings.DEFAULT_MODEL)
                .filter(id -> models.find(id).filter(model -> model.status() == ModelRecord.Status.AVAILABLE).isPresent());
        if (named.isPresent()) {
            return named;
        }
        if (config.models().defaultModel().isPresent()) {
            String configured = config.models().defaultModel().get();
            if (models.find(configured).filter(model -> model.status() == ModelRecord.Status.AVAILABLE).isEmpty()) {
                LOG.warn("The configured default model {} is not an available model; choosing one", configured);
            } else {
                return Optional.of(configured);
            }
        }
        return models.list(model -> model.isLocal() && model.status() == ModelRecord.Status.AVAILABLE
                        && (model.capabilities().contains("chat") || model.capabilities().contains("completion")))
                .stream().min(java.util.Comparator.comparingLong(ModelRecord::sizeBytes)).map(ModelRecord::id);
    }

    public MeterRegistry meters() {
        return meters;
    }

    @Override
    public void close() {
        discovery.close();
        scheduler.close();
        timer.shutdownNow();
        modelManager.close();
        workers.shutdownNow();
        http.dispatcher().executorService().shutdown();
        http.connectionPool().evictAll();
        usage.close();
        database.close();
    }
}
