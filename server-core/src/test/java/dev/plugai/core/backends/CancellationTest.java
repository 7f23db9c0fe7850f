package dev.plugai.core.backends;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class CancellationTest {

    @Test
    void actionsRunOnceWhenCancelledAndAtOnceWhenAlreadyCancelled() {
        Cancellation cancellation = new Cancellation();
        AtomicInteger runs = new AtomicInteger();
        cancellation.onCancel(runs::incrementAndGet);
        cancellation.onCancel(() -> {
            throw new IllegalStateException("a failing action");
        });
        cancellation.onCancel(runs::incrementAndGet);

        cancellation.cancel();
        cancellation.cancel();
        assertThat(runs).hasValue(2);

        cancellation.onCancel(runs::incrementAndGet);
        assertThat(runs).hasValue(3);
        assertThat(cancellation.isCancelled()).isTrue();
    }
}
