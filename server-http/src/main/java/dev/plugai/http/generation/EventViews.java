package dev.plugai.http.generation;

import dev.plugai.core.backends.GenerationResult;
import dev.plugai.core.generation.GenerationEvent;
import dev.plugai.core.scheduler.Job;
import dev.plugai.model.generation.GenerationApi;

import java.util.Locale;

/** Domain generation events and jobs as API records. */
final class EventViews {

    private EventViews() {
    }

    /** The JSON body of an event's {@code data:} line (problem bodies for errors are made by the caller). */
    static Object data(GenerationEvent event) {
        return switch (event) {
            case GenerationEvent.Queued queued -> new GenerationApi.QueuedEvent(queued.position(), queued.ahead());
            case GenerationEvent.Loading loading -> new GenerationApi.LoadingEvent(loading.model(),
                    Math.round(loading.progress() * 1000) / 1000.0);
            case GenerationEvent.Fallback fallback -> new GenerationApi.FallbackEvent(fallback.requested(),
                    fallback.used());
            case GenerationEvent.Started started -> new GenerationApi.StartedEvent(started.jobId(), started.model());
            case GenerationEvent.Delta delta -> new GenerationApi.DeltaEvent(delta.text());
            case GenerationEvent.Done done -> new GenerationApi.DoneEvent(finishReason(done.finishReason()),
                    usage(done.usage()), timings(done.timings()));
            case GenerationEvent.Failed failed -> failed;
        };
    }

    static String finishReason(GenerationResult.FinishReason reason) {
        return reason.name().toLowerCase(Locale.ROOT);
    }

    static GenerationApi.Usage usage(GenerationResult.Usage usage) {
        return new GenerationApi.Usage(usage.promptTokens(), usage.completionTokens(), usage.totalTokens());
    }

    static GenerationApi.Timings timings(GenerationResult.Timings timings) {
        return new GenerationApi.Timings(timings.timeToFirstToken().toMillis(), timings.total().toMillis(),
                Math.round(timings.tokensPerSecond() * 10) / 10.0);
    }

    static GenerationApi.JobView job(Job job, boolean showOwner) {
        boolean queued = job.state() == Job.State.QUEUED;
        return new GenerationApi.JobView(job.id(), job.model(), job.requestedModel(),
                job.state().name().toLowerCase(Locale.ROOT), queued ? job.position() : null,
                queued ? job.ahead() : null, showOwner ? job.ownerId() : null, job.createdAt(),
                job.startedAt().orElse(null), job.finishedAt().orElse(null));
    }
}
