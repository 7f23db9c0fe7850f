package dev.plugai.core.backends;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A cancellation flag a job owner sets and a backend polls between tokens. Thread-safe.
 */
public final class Cancellation {

    private final AtomicBoolean cancelled = new AtomicBoolean();

    /** Asks the work to stop; idempotent. */
    public void cancel() {
        cancelled.set(true);
    }

    public boolean isCancelled() {
        return cancelled.get();
    }
}
