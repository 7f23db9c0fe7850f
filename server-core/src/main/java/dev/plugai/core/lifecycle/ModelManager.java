package dev.plugai.core.lifecycle;

import dev.plugai.core.backends.LoadedModel;
import dev.plugai.core.backends.LocalRunner;
import dev.plugai.core.backends.ModelLoadException;
import dev.plugai.core.backends.RunnerSettings;
import dev.plugai.core.errors.ErrorKind;
import dev.plugai.core.errors.PlugAiException;
import dev.plugai.core.registry.ModelRecord;
import dev.plugai.core.registry.ModelRegistry;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

/**
 * Loads and unloads local models under a memory budget. A load runs in the background and reports
 * progress; waiting callers share it. When a load would exceed the budget, idle non-default models are
 * unloaded least-recently-used first; if it still does not fit, the load fails with a clear 507. The
 * default model is loaded at start, never evicted, and cannot be unloaded without naming a new default.
 * Models idle longer than the keep-alive are unloaded by {@link #unloadIdle()}.
 *
 * <p>Thread-safe: state changes happen under the manager's lock; loads and closes run outside it.
 */
public final class ModelManager implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ModelManager.class);

    private final ModelRegistry registry;
    private final Map<String, LocalRunner> runners;
    private final MemoryBudget budget;
    private final Clock clock;
    private final Executor loader;
    private final Duration keepAlive;
    private final MeterRegistry meters;
    private final Map<String, Slot> slots = new ConcurrentHashMap<>();
    private volatile Optional<String> defaultModel = Optional.empty();
    private final int defaultSlots;

    public ModelManager(ModelRegistry registry, List<LocalRunner> runners, MemoryBudget budget, Clock clock,
                        Executor loader, Duration keepAlive, MeterRegistry meters) {
        this(registry, runners, budget, clock, loader, keepAlive, 1, meters);
    }

    public ModelManager(ModelRegistry registry, List<LocalRunner> runners, MemoryBudget budget, Clock clock,
                        Executor loader, Duration keepAlive, int defaultSlots, MeterRegistry meters) {
        this.defaultSlots = Math.max(1, defaultSlots);
        this.registry = registry;
        this.runners = runners.stream().collect(java.util.stream.Collectors.toUnmodifiableMap(LocalRunner::format,
                runner -> runner));
        this.budget = budget;
        this.clock = clock;
        this.loader = loader;
        this.keepAlive = keepAlive;
        this.meters = meters;
        Gauge.builder("plugai.models.loaded", slots, all -> all.values().stream()
                        .filter(slot -> slot.phase == ModelState.Phase.READY).count())
                .description("Local models held in memory").register(meters);
        Gauge.builder("plugai.models.memory", this, ModelManager::usedBytes).baseUnit("bytes")
                .description("Memory held by loaded models (estimate)").register(meters);
    }

    /** The memory budget for all loaded models. */
    public MemoryBudget budget() {
        return budget;
    }

    /** The default model, if one is set. */
    public Optional<String> defaultModel() {
        return defaultModel;
    }

    /** Makes {@code modelId} the default and starts loading it. */
    public CompletableFuture<LoadedModel> setDefault(String modelId) {
        requireLocal(modelId);
        defaultModel = Optional.of(modelId);
        return load(modelId);
    }

    /** The state of a model (unloaded when never touched). */
    public ModelState state(String modelId) {
        Slot slot = slots.get(modelId);
        boolean isDefault = defaultModel.map(modelId::equals).orElse(false);
        if (slot == null) {
            return new ModelState(modelId, ModelState.Phase.UNLOADED, 0, Optional.empty(), 0, Optional.empty(),
                    isDefault);
        }
        synchronized (slot) {
            return new ModelState(modelId, slot.phase, slot.progress, Optional.ofNullable(slot.failure),
                    slot.phase == ModelState.Phase.READY || slot.phase == ModelState.Phase.LOADING ? slot.memoryBytes : 0,
                    Optional.ofNullable(slot.lastUsedAt), isDefault);
        }
    }

    /**
     * The loaded model, loading it first if needed. Returns at once; the future completes when it is
     * ready (or fails with the load's reason). Concurrent callers share one load.
     */
    public CompletableFuture<LoadedModel> load(String modelId) {
        ModelRecord record = requireLocal(modelId);
        LocalRunner runner = runners.get(record.format());
        if (runner == null) {
            throw new PlugAiException.InvalidRequest("No runner for " + record.format() + " models in this build.");
        }
        Slot slot = slots.computeIfAbsent(modelId, id -> new Slot());
        CompletableFuture<LoadedModel> pending;
        synchronized (this) {
            synchronized (slot) {
                if (slot.phase == ModelState.Phase.READY || slot.phase == ModelState.Phase.LOADING) {
                    return slot.future;
                }
                long estimate = estimate(record);
                makeRoom(modelId, estimate);
                slot.phase = ModelState.Phase.LOADING;
                slot.progress = 0;
                slot.failure = null;
                slot.memoryBytes = estimate;
                slot.future = new CompletableFuture<>();
                pending = slot.future;
            }
        }
        loader.execute(() -> runLoad(record, runner, slot, pending));
        return pending;
    }

    private void runLoad(ModelRecord record, LocalRunner runner, Slot slot, CompletableFuture<LoadedModel> pending) {
        Timer.Sample sample = Timer.start(meters);
        try {
            LoadedModel loaded = runner.load(record.path().orElseThrow(), settingsFor(record), progress -> {
                synchronized (slot) {
                    slot.progress = Math.max(slot.progress, Math.min(1, progress));
                }
            });
            synchronized (slot) {
                slot.loaded = loaded;
                slot.phase = ModelState.Phase.READY;
                slot.progress = 1;
                slot.memoryBytes = loaded.memoryBytes();
                slot.lastUsedAt = clock.instant();
            }
            sample.stop(Timer.builder("plugai.model.load").tag("model", record.id()).tag("outcome", "ready")
                    .description("Time to load a local model").register(meters));
            LOG.info("Model {} loaded ({} MiB)", record.id(), loaded.memoryBytes() >> 20);
            pending.complete(loaded);
        } catch (RuntimeException e) {
            String reason = e instanceof ModelLoadException ? e.getMessage() : "The model could not be loaded.";
            synchronized (slot) {
                slot.phase = ModelState.Phase.FAILED;
                slot.failure = reason;
                slot.memoryBytes = 0;
            }
            sample.stop(Timer.builder("plugai.model.load").tag("model", record.id()).tag("outcome", "failed")
                    .description("Time to load a local model").register(meters));
            LOG.warn("Model {} failed to load: {}", record.id(), reason, e instanceof ModelLoadException ? null : e);
            pending.completeExceptionally(new PlugAiException.Unavailable(ErrorKind.MODEL_LOAD_FAILED,
                    "Model " + record.id() + " could not be loaded: " + reason, null));
        }
    }

    /**
     * Borrows a ready model for one generation; the lease keeps it from being evicted or unloaded until
     * closed. Throws when the model is not ready.
     */
    public Lease lease(String modelId) {
        Slot slot = slots.get(modelId);
        if (slot == null) {
            throw new IllegalStateException(modelId + " is not loaded");
        }
        synchronized (slot) {
            if (slot.phase != ModelState.Phase.READY) {
                throw new IllegalStateException(modelId + " is not ready");
            }
            slot.leases++;
            slot.lastUsedAt = clock.instant();
            return new Lease(modelId, slot.loaded, () -> {
                synchronized (slot) {
                    slot.leases--;
                    slot.lastUsedAt = clock.instant();
                }
            });
        }
    }

    /** Unloads a model now. The default model needs a new default first; a model in use is refused (409). */
    public void unload(String modelId) {
        if (defaultModel.map(modelId::equals).orElse(false)) {
            throw new PlugAiException.Conflict("Model " + modelId + " is the default model; name another default first.");
        }
        Slot slot = slots.get(modelId);
        if (slot == null) {
            return;
        }
        LoadedModel toClose;
        synchronized (slot) {
            if (slot.phase == ModelState.Phase.LOADING) {
                throw new PlugAiException.Conflict("Model " + modelId + " is still loading; unload it when it is ready.");
            }
            if (slot.leases > 0) {
                throw new PlugAiException.Conflict("Model " + modelId + " is generating; unload it when it is idle.");
            }
            toClose = release(slot);
        }
        close(modelId, toClose);
    }

    /** Unloads non-default models idle longer than the keep-alive; returns their ids. */
    public List<String> unloadIdle() {
        Instant cutoff = clock.instant().minus(keepAlive);
        List<String> unloaded = new java.util.ArrayList<>();
        for (Map.Entry<String, Slot> entry : slots.entrySet()) {
            Slot slot = entry.getValue();
            LoadedModel toClose = null;
            synchronized (slot) {
                if (slot.phase == ModelState.Phase.READY && slot.leases == 0 && !isDefault(entry.getKey())
                        && slot.lastUsedAt != null && slot.lastUsedAt.isBefore(cutoff)) {
                    toClose = release(slot);
                }
            }
            if (toClose != null) {
                close(entry.getKey(), toClose);
                unloaded.add(entry.getKey());
            }
        }
        return unloaded;
    }

    /** Memory held or reserved by models that are loading or loaded. */
    public long usedBytes() {
        return slots.values().stream().mapToLong(slot -> {
            synchronized (slot) {
                return slot.phase == ModelState.Phase.READY || slot.phase == ModelState.Phase.LOADING ? slot.memoryBytes : 0;
            }
        }).sum();
    }

    /** Evicts idle non-default models, least recently used first, until {@code needed} more bytes fit. */
    private void makeRoom(String forModel, long needed) {
        if (needed > budget.bytes()) {
            throw new PlugAiException.Unavailable(ErrorKind.INSUFFICIENT_MEMORY, "Model " + forModel + " needs about "
                    + (needed >> 20) + " MiB, more than the memory budget of " + (budget.bytes() >> 20) + " MiB.", null);
        }
        while (usedBytes() + needed > budget.bytes()) {
            Optional<Map.Entry<String, Slot>> victim = slots.entrySet().stream()
                    .filter(entry -> !entry.getKey().equals(forModel) && !isDefault(entry.getKey()))
                    .filter(entry -> {
                        synchronized (entry.getValue()) {
                            return entry.getValue().phase == ModelState.Phase.READY && entry.getValue().leases == 0;
                        }
                    })
                    .min(Comparator.comparing(entry -> entry.getValue().lastUsedAt == null ? Instant.MIN
                            : entry.getValue().lastUsedAt));
            if (victim.isEmpty()) {
                throw new PlugAiException.Unavailable(ErrorKind.INSUFFICIENT_MEMORY, "Not enough memory for model "
                        + forModel + " (about " + (needed >> 20) + " MiB) while other models are in use; "
                        + "try again when they are idle, or unload one.", null);
            }
            LoadedModel toClose;
            synchronized (victim.get().getValue()) {
                toClose = release(victim.get().getValue());
            }
            LOG.info("Unloading {} to make room for {}", victim.get().getKey(), forModel);
            close(victim.get().getKey(), toClose);
        }
    }

    private static LoadedModel release(Slot slot) {
        LoadedModel loaded = slot.loaded;
        slot.loaded = null;
        slot.phase = ModelState.Phase.UNLOADED;
        slot.progress = 0;
        slot.memoryBytes = 0;
        slot.future = null;
        return loaded;
    }

    private static void close(String modelId, LoadedModel loaded) {
        if (loaded != null) {
            try {
                loaded.close();
                LOG.info("Model {} unloaded", modelId);
            } catch (RuntimeException e) {
                LOG.warn("Closing model {} failed", modelId, e);
            }
        }
    }

    private boolean isDefault(String modelId) {
        return defaultModel.map(modelId::equals).orElse(false);
    }

    private ModelRecord requireLocal(String modelId) {
        ModelRecord record = registry.find(modelId)
                .orElseThrow(() -> new PlugAiException.NotFound("No model with id " + modelId + "."));
        if (!record.isLocal() || record.path().isEmpty()) {
            throw new PlugAiException.InvalidRequest("Model " + modelId + " is not a local model; it needs no loading.");
        }
        if (record.status() != ModelRecord.Status.AVAILABLE) {
            throw new PlugAiException.Conflict("Model " + modelId + " is " + record.status().name().toLowerCase(
                    java.util.Locale.ROOT) + record.statusReason().map(reason -> ": " + reason).orElse("."));
        }
        return record;
    }

    /** The admin's settings for the model, with the scheduler's slot count where none is set. */
    private RunnerSettings settingsFor(ModelRecord record) {
        RunnerSettings chosen = record.runnerSettings();
        return new RunnerSettings(chosen.threads(), chosen.contextSize(), chosen.gpuLayers(),
                chosen.parallelSlots() > 0 ? chosen.parallelSlots() : defaultSlots);
    }

    /** Parallel generations a loaded model serves: its own setting, else the server's default. */
    public int slots(String modelId) {
        return registry.find(modelId).map(record -> record.runnerSettings().parallelSlots())
                .filter(slots -> slots > 0).orElse(defaultSlots);
    }

    /** Weights plus a margin for the context cache: what a load will reserve before it is measured. */
    static long estimate(ModelRecord record) {
        return record.sizeBytes() + Math.max(64L << 20, record.sizeBytes() / 10);
    }

    @Override
    public void close() {
        for (Map.Entry<String, Slot> entry : slots.entrySet()) {
            LoadedModel toClose;
            synchronized (entry.getValue()) {
                toClose = release(entry.getValue());
            }
            close(entry.getKey(), toClose);
        }
    }

    /** A borrowed ready model; close it when the generation ends. */
    public static final class Lease implements AutoCloseable {
        private final String modelId;
        private final LoadedModel model;
        private final Runnable onClose;
        private boolean closed;

        Lease(String modelId, LoadedModel model, Runnable onClose) {
            this.modelId = modelId;
            this.model = model;
            this.onClose = onClose;
        }

        public String modelId() {
            return modelId;
        }

        public LoadedModel model() {
            return model;
        }

        @Override
        public synchronized void close() {
            if (!closed) {
                closed = true;
                onClose.run();
            }
        }
    }

    /** One model's place in memory. Guarded by its own monitor. */
    private static final class Slot {
        ModelState.Phase phase = ModelState.Phase.UNLOADED;
        double progress;
        String failure;
        long memoryBytes;
        Instant lastUsedAt;
        int leases;
        LoadedModel loaded;
        CompletableFuture<LoadedModel> future;
    }
}
