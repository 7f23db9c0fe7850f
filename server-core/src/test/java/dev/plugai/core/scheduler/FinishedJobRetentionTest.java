package dev.plugai.core.scheduler;

import dev.plugai.core.MutableClock;
import dev.plugai.core.backends.ChatMessage;
import dev.plugai.core.backends.GenerationResult;
import dev.plugai.core.backends.SamplingParameters;
import dev.plugai.core.backends.TextGenerator;
import dev.plugai.core.backends.TextRequest;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Finished jobs stay findable for their status an hour at most, and never more than a bounded number. */
class FinishedJobRetentionTest {

    private static final TextRequest HELLO = TextRequest.chat(List.of(new ChatMessage("user", "Hi")),
            SamplingParameters.defaults());
    private static final TextGenerator ECHO = (request, sink, cancellation) -> {
        sink.onText("ok");
        return new GenerationResult("ok", GenerationResult.FinishReason.STOP, new GenerationResult.Usage(1, 1),
                new GenerationResult.Timings(Duration.ZERO, Duration.ZERO, 0));
    };

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final Scheduler scheduler = new Scheduler(null, workers, timer, 4, model -> 1, clock,
            new SimpleMeterRegistry());

    @AfterEach
    void stop() {
        scheduler.close();
        workers.shutdownNow();
        timer.shutdownNow();
    }

    /** Runs one job to its end: finished, and retired (in the finish order, its request let go). */
    private Job run() throws Exception {
        Job job = scheduler.submitDirect("u1", "remote/m", "remote/m", HELLO, () -> ECHO, event -> { },
                (finished, result) -> { }, false);
        job.result().get(10, TimeUnit.SECONDS);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (job.request() != null && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(job.request()).as("retired").isNull();
        return job;
    }

    @Test
    void aFinishedJobIsFoundForAnHourThenForgotten() throws Exception {
        Job first = run();
        clock.advance(Duration.ofMinutes(59));
        run();
        assertThat(scheduler.find(first.id())).contains(first);

        clock.advance(Duration.ofMinutes(2));
        Job later = run();

        assertThat(scheduler.find(first.id())).isEmpty();
        assertThat(scheduler.find(later.id())).contains(later);
    }

    @Test
    void beyondTheCapTheOldestFinishedJobsGoFirst() throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < Scheduler.MAX_FINISHED + 50; i++) {
            ids.add(run().id());
        }
        run();

        assertThat(ids.subList(0, 50)).allSatisfy(id -> assertThat(scheduler.find(id)).isEmpty());
        assertThat(ids.subList(60, ids.size())).allSatisfy(id -> assertThat(scheduler.find(id)).isPresent());
    }

    @Test
    void aFinishedJobLetsGoOfItsRequestAndListener() throws Exception {
        Job job = run(); // waits until the job retired, which lets go of the request

        assertThat(job.state()).isEqualTo(Job.State.SUCCEEDED);
        assertThat(job.result().get().text()).isEqualTo("ok");
    }
}
