package dev.plugai.http.generation;

import com.fasterxml.jackson.databind.JsonNode;
import dev.plugai.core.attachments.AttachmentSource;
import dev.plugai.core.backends.GenerationResult;
import dev.plugai.core.errors.PlugAiException;
import dev.plugai.core.generation.GenerationEvent;
import dev.plugai.core.generation.GenerationService;
import dev.plugai.core.identity.Caller;
import dev.plugai.core.identity.Scope;
import dev.plugai.core.scheduler.Job;
import dev.plugai.core.scheduler.Scheduler;
import dev.plugai.http.auth.Callers;
import dev.plugai.http.json.Json;
import dev.plugai.http.observe.RequestIds;
import dev.plugai.http.problems.Problems;
import dev.plugai.http.routing.Access;
import dev.plugai.http.routing.ApiResource;
import dev.plugai.http.routing.ApiRoutes;
import dev.plugai.model.api.Problem;
import dev.plugai.model.generation.GenerationApi;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * {@code POST /v1/generate}: parse → authorize → schedule → answer, as one JSON body or as a stream of
 * server-sent events. Events go from the generating thread into a queue that this handler drains, so a
 * slow client never slows the model; a client that leaves is noticed at the next write (or heartbeat)
 * and its job is cancelled.
 */
public final class GenerateResource implements ApiResource {

    private static final Logger LOG = LoggerFactory.getLogger(GenerateResource.class);
    private static final Duration HEARTBEAT = Duration.ofSeconds(2);

    private final GenerationService generation;
    private final Scheduler scheduler;
    private final Json json;
    private final Problems problems;

    public GenerateResource(GenerationService generation, Scheduler scheduler, Json json, Problems problems) {
        this.generation = generation;
        this.scheduler = scheduler;
        this.json = json;
        this.problems = problems;
    }

    @Override
    public void routes(ApiRoutes routes) {
        routes.post("/v1/generate", Access.scope(Scope.GENERATE), this::generate);
    }

    private void generate(ServerRequest request, ServerResponse response) {
        Caller caller = Callers.of(request);
        GenerationApi.GenerateRequest body = json.read(request, GenerationApi.GenerateRequest.class);
        GenerationService.GenerateCommand command = command(body);
        BlockingQueue<GenerationEvent> events = new LinkedBlockingQueue<>();
        Job job = generation.start(caller, command, events::add);
        if (Boolean.TRUE.equals(body.stream())) {
            stream(request, response, job, events);
        } else {
            answer(request, response, job, events);
        }
    }

    private GenerationService.GenerateCommand command(GenerationApi.GenerateRequest body) {
        List<GenerationService.Message> messages = body.messages() == null ? List.of()
                : body.messages().stream().map(message -> {
                    if (message == null || message.role() == null || message.content() == null) {
                        throw new PlugAiException.InvalidRequest("Each message needs a role and a content.");
                    }
                    return new GenerationService.Message(message.role(), message.content(),
                            attachments(message.attachments()));
                }).toList();
        GenerationService.OnLoading onLoading = switch (Optional.ofNullable(body.onLoading()).orElse("wait")
                .toLowerCase(Locale.ROOT)) {
            case "wait" -> GenerationService.OnLoading.WAIT;
            case "fallback" -> GenerationService.OnLoading.FALLBACK;
            default -> throw new PlugAiException.InvalidRequest("on_loading must be wait or fallback.");
        };
        JsonNode params = body.params() == null ? null : json.mapper().valueToTree(body.params());
        return new GenerationService.GenerateCommand(body.model(), messages, Optional.ofNullable(body.prompt()),
                attachments(body.attachments()), params, onLoading, Boolean.TRUE.equals(body.stream()));
    }

    private static List<AttachmentSource> attachments(List<GenerationApi.Attachment> attachments) {
        if (attachments == null) {
            return List.of();
        }
        return attachments.stream()
                .map(attachment -> attachment == null ? new AttachmentSource(Optional.empty(), Optional.empty())
                        : new AttachmentSource(Optional.ofNullable(attachment.url()),
                        Optional.ofNullable(attachment.data())))
                .toList();
    }

    private void stream(ServerRequest request, ServerResponse response, Job job, BlockingQueue<GenerationEvent> events) {
        SseStream stream = new SseStream(response);
        try {
            while (true) {
                GenerationEvent event = events.poll(HEARTBEAT.toMillis(), TimeUnit.MILLISECONDS);
                if (event == null) {
                    stream.heartbeat();
                    continue;
                }
                stream.send(event.name(), json.bytes(data(request, event)));
                if (event instanceof GenerationEvent.Done || event instanceof GenerationEvent.Failed) {
                    break;
                }
            }
        } catch (UncheckedIOException clientGone) {
            LOG.info("Client left the stream of job {}; cancelling it", job.id());
            scheduler.cancel(job.id());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            scheduler.cancel(job.id());
        } finally {
            stream.close();
        }
    }

    private Object data(ServerRequest request, GenerationEvent event) {
        if (event instanceof GenerationEvent.Failed failed) {
            Problem problem = Problems.problem(failed.kind(), Problems.statusOf(failed.kind()), failed.detail(),
                    request.path().rawPath(), RequestIds.of(request));
            // The text itself already went out as deltas; the flag says they are an unfinished answer.
            return failed.partial() ? problem.withPartial(null) : problem;
        }
        return EventViews.data(event);
    }

    private void answer(ServerRequest request, ServerResponse response, Job job,
                        BlockingQueue<GenerationEvent> events) {
        GenerationResult result;
        try {
            result = job.result().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            scheduler.cancel(job.id());
            throw new PlugAiException.Unavailable(dev.plugai.core.errors.ErrorKind.UNAVAILABLE, "Interrupted.", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof PlugAiException domain) {
                StringBuilder partial = new StringBuilder();
                events.forEach(event -> {
                    if (event instanceof GenerationEvent.Delta delta) {
                        partial.append(delta.text());
                    }
                });
                if (!partial.isEmpty()) {
                    problems.sendPartial(request, response, domain, partial.toString());
                    return;
                }
                throw domain;
            }
            throw new IllegalStateException("Generation failed", e.getCause());
        }
        Optional<String> usedInstead = events.stream().filter(event -> event instanceof GenerationEvent.Fallback)
                .map(event -> ((GenerationEvent.Fallback) event).used()).reduce((first, second) -> second);
        boolean fallback = usedInstead.isPresent();
        json.write(response, Status.OK_200, new GenerationApi.GenerateResponse(job.id(), usedInstead.orElse(job.model()),
                job.requestedModel(), fallback, result.text(), EventViews.finishReason(result.finishReason()),
                EventViews.usage(result.usage()), EventViews.timings(result.timings()), job.createdAt()));
    }
}
