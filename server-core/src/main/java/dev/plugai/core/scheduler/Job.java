package dev.plugai.core.scheduler;

import dev.plugai.core.backends.Cancellation;
import dev.plugai.core.backends.GenerationResult;
import dev.plugai.core.backends.TextRequest;
import dev.plugai.core.generation.GenerationEvent;
import dev.plugai.core.generation.GenerationListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * One generation request on its way through the scheduler: queued, running, then finished. Its events
 * go to one listener; if the listener throws (the client left), the job is cancelled.
 *
 * <p>Thread-safe.
 */
public final class Job {

    private static final Logger LOG = LoggerFactory.getLogger(Job.class);

    /** Where a job is. */
    public enum State { QUEUED, RUNNING, SUCCEEDED, CANCELLED, FAILED }

    private final String id;
    private final String ownerId;
    private final String model;
    private final String requestedModel;
    private volatile TextRequest request;
    private volatile GenerationListener listener;
    private final Instant createdAt;
    private final Cancellation cancellation = new Cancellation();
    private final CompletableFuture<GenerationResult> result = new CompletableFuture<>();
    private volatile State state = State.QUEUED;
    private volatile int position;
    private volatile int ahead;
    private volatile Instant startedAt;
    private volatile Instant finishedAt;
    private volatile boolean listenerGone;
    private final java.util.function.BiConsumer<Job, GenerationResult> onFinished;

    Job(String id, String ownerId, String model, String requestedModel, TextRequest request,
        GenerationListener listener, java.util.function.BiConsumer<Job, GenerationResult> onFinished,
        Instant createdAt) {
        this.onFinished = onFinished;
        this.id = id;
        this.ownerId = ownerId;
        this.model = model;
        this.requestedModel = requestedModel;
        this.request = request;
        this.listener = listener;
        this.createdAt = createdAt;
    }

    public String id() {
        return id;
    }

    /** The user who submitted it. */
    public String ownerId() {
        return ownerId;
    }

    /** The model that runs it. */
    public String model() {
        return model;
    }

    /** The model the caller asked for (differs from {@link #model()} on fallback). */
    public String requestedModel() {
        return requestedModel;
    }

    TextRequest request() {
        return request;
    }

    public State state() {
        return state;
    }

    /** 1-based place in its model's line while queued, 0 otherwise. */
    public int position() {
        return state == State.QUEUED ? position : 0;
    }

    /** Jobs that start before this one while queued. */
    public int ahead() {
        return state == State.QUEUED ? ahead : 0;
    }

    public Instant createdAt() {
        return createdAt;
    }

    public Optional<Instant> startedAt() {
        return Optional.ofNullable(startedAt);
    }

    public Optional<Instant> finishedAt() {
        return Optional.ofNullable(finishedAt);
    }

    /** Completes with the generation's result (finish reason CANCELLED when cancelled), or fails. */
    public CompletableFuture<GenerationResult> result() {
        return result;
    }

    Cancellation cancellation() {
        return cancellation;
    }

    boolean isFinished() {
        return state == State.SUCCEEDED || state == State.CANCELLED || state == State.FAILED;
    }

    void started(Instant at) {
        state = State.RUNNING;
        startedAt = at;
    }

    /** Records the end; the owner's callback (e.g. usage accounting) runs before any listener hears of it. */
    void finished(State finalState, Instant at, GenerationResult outcome) {
        state = finalState;
        finishedAt = at;
        try {
            onFinished.accept(this, outcome);
        } catch (RuntimeException e) {
            LOG.warn("The finish callback of job {} failed", id, e);
        }
    }

    /** Records a new place in line; tells the listener only when it changed. */
    void place(int newPosition, int newAhead) {
        if (newPosition != position || newAhead != ahead) {
            position = newPosition;
            ahead = newAhead;
            emit(new GenerationEvent.Queued(newPosition, newAhead));
        }
    }

    /**
     * Lets go of what only a running job needs (the request, the listener and the events it holds, the
     * cancellation's actions, e.g. an upstream call), so a finished job kept for its status stays small.
     */
    void release() {
        request = null;
        listener = null;
        cancellation.clear();
    }

    /** Sends an event; a listener that fails is dropped and the job cancelled. */
    void emit(GenerationEvent event) {
        GenerationListener current = listener;
        if (listenerGone || current == null) {
            return;
        }
        try {
            synchronized (this) {
                current.on(event);
            }
        } catch (RuntimeException e) {
            listenerGone = true;
            cancellation.cancel();
            LOG.debug("Listener of job {} failed; cancelling it", id, e);
        }
    }
}
