package dev.plugai.core.scheduler;

import dev.plugai.core.backends.GenerationResult;
import dev.plugai.core.backends.TextGenerator;
import dev.plugai.core.backends.TextRequest;
import dev.plugai.core.errors.ErrorKind;
import dev.plugai.core.errors.PlugAiException;
import dev.plugai.core.generation.GenerationEvent;
import dev.plugai.core.generation.GenerationListener;
import dev.plugai.core.identity.SecretTokens;
import dev.plugai.core.lifecycle.ModelManager;
import dev.plugai.core.lifecycle.ModelState;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.Predicate;
import java.util.function.ToIntFunction;

/**
 * Runs generation jobs on local models: per model, a bounded FIFO line in front of N parallel slots.
 * A full line refuses at once (503 with a retry hint) instead of piling up. Waiting jobs hear their
 * place whenever it changes, and the model's load progress while it loads. Cancelling a queued job
 * removes it; cancelling a running one stops it within one token, frees its slot and starts the next.
 *
 * <p>Thread-safe: each model's line is guarded by its own lock; generations run on the worker executor.
 */
public final class Scheduler implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Scheduler.class);
    private static final Duration KEEP_FINISHED = Duration.ofHours(1);
    /** Finished jobs kept for {@code GET /v1/jobs/{id}} at most; the oldest go first beyond it. */
    static final int MAX_FINISHED = 10_000;
    private static final Duration PROGRESS_INTERVAL = Duration.ofMillis(250);

    private final ModelManager models;
    private final Executor workers;
    private final ScheduledExecutorService timer;
    private final int queueCapacity;
    private final ToIntFunction<String> slotsPerModel;
    private final Clock clock;
    private final MeterRegistry meters;
    private final Map<String, Lane> lanes = new ConcurrentHashMap<>();
    private final Map<String, Job> jobs = new ConcurrentHashMap<>();
    /** Finished jobs in the order they finished, so purging takes from the head instead of scanning all. */
    private final Queue<Job> finishedInOrder = new ConcurrentLinkedQueue<>();
    private final AtomicInteger finishedCount = new AtomicInteger();
    private final AtomicInteger active = new AtomicInteger();

    public Scheduler(ModelManager models, Executor workers, ScheduledExecutorService timer, int queueCapacity,
                     ToIntFunction<String> slotsPerModel, Clock clock, MeterRegistry meters) {
        this.models = models;
        this.workers = workers;
        this.timer = timer;
        this.queueCapacity = queueCapacity;
        this.slotsPerModel = slotsPerModel;
        this.clock = clock;
        this.meters = meters;
        Gauge.builder("plugai.generations.active", active, AtomicInteger::get)
                .description("Generations running now").register(meters);
    }

    /**
     * Queues a job on {@code model} (loading the model if needed) and returns it at once.
     *
     * @throws PlugAiException.Unavailable with kind QUEUE_FULL when the model's line is full
     */
    public Job submit(String ownerId, String model, String requestedModel, TextRequest request,
                      GenerationListener listener, BiConsumer<Job, GenerationResult> onFinished) {
        purgeFinished();
        Lane lane = lanes.computeIfAbsent(model, this::newLane);
        Job job = new Job(SecretTokens.id("job"), ownerId, model, requestedModel, request, listener, onFinished,
                clock.instant());
        synchronized (lane) {
            if (lane.waiting.size() >= queueCapacity) {
                throw new PlugAiException.Unavailable(ErrorKind.QUEUE_FULL, "Model " + model + " has "
                        + lane.waiting.size() + " requests waiting already; try again shortly.", null);
            }
            jobs.put(job.id(), job);
            lane.waiting.addLast(job);
        }
        ensureLoaded(lane);
        pump(lane);
        publishPlaces(lane);
        return job;
    }

    public Optional<Job> find(String jobId) {
        return Optional.ofNullable(jobs.get(jobId));
    }

    /** Unfinished jobs matching {@code filter}, oldest first. */
    public List<Job> unfinished(Predicate<Job> filter) {
        return jobs.values().stream().filter(job -> !job.isFinished()).filter(filter)
                .sorted(java.util.Comparator.comparing(Job::createdAt)).toList();
    }

    /** Cancels a job, queued or running; returns false when it had already finished. */
    public boolean cancel(String jobId) {
        Job job = jobs.get(jobId);
        if (job == null || job.isFinished()) {
            return false;
        }
        job.cancellation().cancel();
        Lane lane = lanes.get(job.model());
        if (lane == null) {
            return true; // a direct job: its generator sees the cancellation
        }
        boolean removed;
        synchronized (lane) {
            removed = lane.waiting.remove(job);
        }
        if (removed) {
            finish(job, Job.State.CANCELLED, cancelledResult(job));
            publishPlaces(lane);
        }
        return true;
    }

    private Lane newLane(String model) {
        Lane lane = new Lane(model, Math.max(1, slotsPerModel.applyAsInt(model)));
        Gauge.builder("plugai.queue.depth", lane, current -> {
            synchronized (current) {
                return current.waiting.size();
            }
        }).tag("model", model).description("Requests waiting for a slot").register(meters);
        return lane;
    }

    /** Starts the model's load if it is not ready, reporting progress to waiting jobs, then fills slots. */
    private void ensureLoaded(Lane lane) {
        ModelState state = models.state(lane.model);
        if (state.phase() == ModelState.Phase.READY) {
            return;
        }
        CompletableFuture<?> loading;
        try {
            loading = models.load(lane.model);
        } catch (PlugAiException e) {
            failWaiting(lane, e.kind(), e.getMessage());
            return;
        }
        synchronized (lane) {
            if (lane.progressTask == null) {
                lane.progressTask = timer.scheduleWithFixedDelay(() -> reportLoading(lane), 0,
                        PROGRESS_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
            }
        }
        loading.whenComplete((loaded, error) -> {
            synchronized (lane) {
                if (lane.progressTask != null) {
                    lane.progressTask.cancel(false);
                    lane.progressTask = null;
                }
            }
            if (error != null) {
                Throwable cause = error instanceof java.util.concurrent.CompletionException ? error.getCause() : error;
                ErrorKind kind = cause instanceof PlugAiException domain ? domain.kind() : ErrorKind.MODEL_LOAD_FAILED;
                failWaiting(lane, kind, cause.getMessage());
            } else {
                // Slot settings, like runner settings, take effect when the model is (re)loaded.
                lane.slots = Math.max(1, slotsPerModel.applyAsInt(lane.model));
                pump(lane);
                publishPlaces(lane);
            }
        });
    }

    private void reportLoading(Lane lane) {
        ModelState state = models.state(lane.model);
        if (state.phase() != ModelState.Phase.LOADING) {
            return;
        }
        List<Job> waiting;
        synchronized (lane) {
            waiting = new ArrayList<>(lane.waiting);
        }
        for (Job job : waiting) {
            job.emit(new GenerationEvent.Loading(lane.model, state.progress()));
        }
    }

    private void failWaiting(Lane lane, ErrorKind kind, String detail) {
        List<Job> failed;
        synchronized (lane) {
            failed = new ArrayList<>(lane.waiting);
            lane.waiting.clear();
        }
        for (Job job : failed) {
            job.finished(Job.State.FAILED, clock.instant(), null);
            job.result().completeExceptionally(new PlugAiException.Unavailable(kind, detail, null));
            job.emit(new GenerationEvent.Failed(kind, detail));
            retire(job);
        }
    }

    /** Starts waiting jobs while the model is ready and slots are free. */
    private void pump(Lane lane) {
        while (true) {
            Job next;
            ModelManager.Lease lease;
            synchronized (lane) {
                if (lane.running >= lane.slots || lane.waiting.isEmpty()
                        || models.state(lane.model).phase() != ModelState.Phase.READY) {
                    return;
                }
                next = lane.waiting.pollFirst();
                if (next.cancellation().isCancelled()) {
                    finish(next, Job.State.CANCELLED, cancelledResult(next));
                    continue;
                }
                try {
                    lease = models.lease(lane.model);
                } catch (IllegalStateException notReady) {
                    lane.waiting.addFirst(next);
                    return;
                }
                lane.running++;
            }
            Job job = next;
            workers.execute(() -> run(lane, job, lease));
        }
    }

    private void run(Lane lane, Job job, ModelManager.Lease lease) {
        try (lease) {
            execute(job, () -> lease.model().textGenerator().orElseThrow(() -> new PlugAiException.InvalidRequest(
                    "Model " + job.model() + " does not generate text.")));
        } finally {
            synchronized (lane) {
                lane.running--;
            }
            pump(lane);
            publishPlaces(lane);
        }
    }

    /**
     * Runs a job at once on a generator that needs no loading or slot (a remote provider's model): the
     * provider does its own queueing, and a rate limit comes back as an error the caller can act on.
     *
     * @param onCallersThread run it on the calling thread and return once it finished (for a caller that waits
     *                        for the whole answer anyway: it saves a hand-over between threads); otherwise the
     *                        job runs on a worker and this returns at once
     */
    public Job submitDirect(String ownerId, String model, String requestedModel, TextRequest request,
                            java.util.function.Supplier<TextGenerator> generator, GenerationListener listener,
                            BiConsumer<Job, GenerationResult> onFinished, boolean onCallersThread) {
        purgeFinished();
        Job job = new Job(SecretTokens.id("job"), ownerId, model, requestedModel, request, listener, onFinished,
                clock.instant());
        jobs.put(job.id(), job);
        if (onCallersThread) {
            execute(job, generator);
        } else {
            workers.execute(() -> execute(job, generator));
        }
        return job;
    }

    private void execute(Job job, java.util.function.Supplier<TextGenerator> generatorSource) {
        Instant started = clock.instant();
        job.started(started);
        active.incrementAndGet();
        AtomicBoolean streamed = new AtomicBoolean();
        Timer.builder("plugai.queue.wait").tag("model", job.model()).description("Time from submission to start")
                .register(meters).record(Duration.between(job.createdAt(), started));
        try {
            job.emit(new GenerationEvent.Started(job.id(), job.model()));
            GenerationResult result = generatorSource.get().generate(job.request(), text -> {
                streamed.set(true);
                job.emit(new GenerationEvent.Delta(text));
            }, job.cancellation());
            record(job.model(), result);
            finish(job, result.finishReason() == GenerationResult.FinishReason.CANCELLED ? Job.State.CANCELLED
                    : Job.State.SUCCEEDED, result);
        } catch (PlugAiException e) {
            fail(job, e.kind(), e.getMessage(), e, streamed.get());
        } catch (RuntimeException e) {
            LOG.error("Generation of job {} on {} failed", job.id(), job.model(), e);
            fail(job, ErrorKind.INTERNAL, "The generation failed; see the server log for request details.", e,
                    streamed.get());
        } finally {
            active.decrementAndGet();
        }
    }

    private void fail(Job job, ErrorKind kind, String detail, Exception cause, boolean partial) {
        job.finished(Job.State.FAILED, clock.instant(), null);
        job.result().completeExceptionally(cause);
        job.emit(new GenerationEvent.Failed(kind, detail, partial));
        retire(job);
    }

    /** Records the end (state, result, usage through the result's callbacks), then tells the listener. */
    private void finish(Job job, Job.State state, GenerationResult result) {
        job.finished(state, clock.instant(), result);
        job.result().complete(result);
        job.emit(new GenerationEvent.Done(result.finishReason(), result.usage(), result.timings()));
        retire(job);
    }

    private static GenerationResult cancelledResult(Job job) {
        return new GenerationResult("", GenerationResult.FinishReason.CANCELLED, new GenerationResult.Usage(0, 0),
                new GenerationResult.Timings(Duration.ZERO, Duration.ZERO, 0));
    }

    /** Tells every waiting job of the model its place in line. */
    private void publishPlaces(Lane lane) {
        List<Job> waiting;
        int running;
        synchronized (lane) {
            waiting = new ArrayList<>(lane.waiting);
            running = lane.running;
        }
        for (int index = 0; index < waiting.size(); index++) {
            waiting.get(index).place(index + 1, index + running);
        }
    }

    private void record(String model, GenerationResult result) {
        Timer.builder("plugai.generation.first_token").tag("model", model).description("Time to first token")
                .register(meters).record(result.timings().timeToFirstToken());
        DistributionSummary.builder("plugai.generation.tokens_per_second").tag("model", model)
                .description("Decoding speed").register(meters).record(result.timings().tokensPerSecond());
    }

    /** A finished job keeps only what its status needs; it is forgotten an hour later, or sooner under load. */
    private void retire(Job job) {
        finishedInOrder.add(job);
        finishedCount.incrementAndGet();
        job.release();
    }

    /** Takes expired (or too many) finished jobs from the head of the line: constant work per request. */
    private void purgeFinished() {
        Instant cutoff = clock.instant().minus(KEEP_FINISHED);
        for (Job oldest = finishedInOrder.peek(); oldest != null; oldest = finishedInOrder.peek()) {
            boolean expired = oldest.finishedAt().map(cutoff::isAfter).orElse(true);
            if (!expired && finishedCount.get() <= MAX_FINISHED) {
                return;
            }
            if (finishedInOrder.remove(oldest)) {
                finishedCount.decrementAndGet();
                jobs.remove(oldest.id(), oldest);
            }
        }
    }

    @Override
    public void close() {
        for (Job job : jobs.values()) {
            if (!job.isFinished()) {
                cancel(job.id());
            }
        }
    }

    /** One model's line and slots. Guarded by its own monitor. */
    private static final class Lane {
        final String model;
        volatile int slots;
        final Deque<Job> waiting = new ArrayDeque<>();
        int running;
        java.util.concurrent.ScheduledFuture<?> progressTask;

        Lane(String model, int slots) {
            this.model = model;
            this.slots = slots;
        }
    }
}
