package dev.plugai.core.backends;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A cancellation flag a job owner sets and a backend polls between tokens. A backend blocked in I/O (a
 * remote provider that has not sent anything yet) registers {@link #onCancel} to be woken at once, e.g.
 * by closing its HTTP call. Thread-safe.
 */
public final class Cancellation {

    private final AtomicBoolean cancelled = new AtomicBoolean();
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

    /** Asks the work to stop; idempotent. Runs the registered actions once. */
    public void cancel() {
        if (cancelled.compareAndSet(false, true)) {
            for (Runnable listener : listeners) {
                try {
                    listener.run();
                } catch (RuntimeException ignored) {
                    // one failing action must not keep the others from running
                }
            }
        }
    }

    /** Forgets the registered actions once the work is over; a later {@link #cancel} only sets the flag. */
    public void clear() {
        listeners.clear();
    }

    public boolean isCancelled() {
        return cancelled.get();
    }

    /** Runs {@code action} when the work is cancelled (at once, if it already is). */
    public void onCancel(Runnable action) {
        listeners.add(action);
        if (cancelled.get()) {
            listeners.remove(action);
            action.run();
        }
    }
}
