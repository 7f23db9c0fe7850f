package dev.plugai.core.generation;

import com.fasterxml.jackson.databind.JsonNode;
import dev.plugai.core.attachments.AttachmentResolver;
import dev.plugai.core.attachments.AttachmentSource;
import dev.plugai.core.backends.ChatMessage;
import dev.plugai.core.backends.GenerationResult;
import dev.plugai.core.backends.ImageInput;
import dev.plugai.core.backends.SamplingParameters;
import dev.plugai.core.backends.TextRequest;
import dev.plugai.core.errors.PlugAiException;
import dev.plugai.core.identity.Caller;
import dev.plugai.core.identity.ModelAccess;
import dev.plugai.core.lifecycle.ModelManager;
import dev.plugai.core.lifecycle.ModelState;
import dev.plugai.core.providers.ProviderResilience;
import dev.plugai.core.providers.ProviderService;
import dev.plugai.core.backends.TextGenerator;
import dev.plugai.core.errors.ErrorKind;
import dev.plugai.core.registry.ModelRecord;
import dev.plugai.core.registry.ModelRegistry;
import dev.plugai.core.registry.ParameterValidator;
import dev.plugai.core.scheduler.Job;
import dev.plugai.core.scheduler.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Turns a caller's generation request into a scheduled job: resolves the model the caller may use,
 * checks the request and its parameters against the model's schema, decides between waiting for a
 * loading model and falling back to the default, and records usage when the job ends.
 *
 * <p>Thread-safe.
 */
public final class GenerationService {

    private static final Logger LOG = LoggerFactory.getLogger(GenerationService.class);
    private static final int MAX_MESSAGES = 500;
    private static final int MAX_TEXT = 2_000_000;

    /** What to do when the requested model is not loaded yet. */
    public enum OnLoading { WAIT, FALLBACK }

    /**
     * A generation request.
     *
     * @param model       the model id
     * @param messages    the conversation, or empty when {@code prompt} is given
     * @param prompt      a raw prompt, or empty
     * @param attachments images for the last user message (or the prompt), after the messages' own
     * @param params      parameters under their unified names, checked against the model's schema
     * @param onLoading   wait for the model, or let the default model answer while it loads
     * @param stream      the caller reads events as they come; otherwise it waits for the whole answer, and a
     *                    provider's job runs on the caller's thread ({@link #start} returns when it finished)
     */
    public record GenerateCommand(String model, List<Message> messages, Optional<String> prompt,
                                  List<AttachmentSource> attachments, JsonNode params, OnLoading onLoading,
                                  boolean stream) {
        public GenerateCommand {
            messages = messages == null ? List.of() : List.copyOf(messages);
            attachments = attachments == null ? List.of() : List.copyOf(attachments);
        }

        int attachmentCount() {
            return attachments.size() + messages.stream().mapToInt(message -> message.attachments().size()).sum();
        }
    }

    /**
     * One turn of a request's conversation, with its images not yet fetched or decoded.
     *
     * @param role        {@code system}, {@code user} or {@code assistant}
     * @param content     the text
     * @param attachments images that go with it (user turns only)
     */
    public record Message(String role, String content, List<AttachmentSource> attachments) {
        public Message {
            attachments = attachments == null ? List.of() : List.copyOf(attachments);
        }
    }

    private final ModelRegistry registry;
    private final ModelAccess access;
    private final ModelManager models;
    private final Scheduler scheduler;
    private final ParameterValidator validator;
    private final UsageLog usage;
    private final ProviderService providers;
    private final ProviderResilience resilience;
    private final AttachmentResolver attachments;

    public GenerationService(ModelRegistry registry, ModelAccess access, ModelManager models, Scheduler scheduler,
                             ParameterValidator validator, UsageLog usage, ProviderService providers,
                             ProviderResilience resilience, AttachmentResolver attachments) {
        this.attachments = attachments;
        this.providers = providers;
        this.resilience = resilience;
        this.registry = registry;
        this.access = access;
        this.models = models;
        this.scheduler = scheduler;
        this.validator = validator;
        this.usage = usage;
    }

    /** Checks and queues the request; events follow on {@code listener}. */
    public Job start(Caller caller, GenerateCommand command, GenerationListener listener) {
        ModelRecord model = usableModel(caller, command.model());
        if (!model.capabilities().contains("chat") && !model.capabilities().contains("completion")) {
            throw new PlugAiException.InvalidRequest("Model " + model.id() + " does not generate text"
                    + (model.capabilities().contains("embeddings") ? "; use /v1/embeddings." : "."));
        }
        TextRequest request = textRequest(model, command);
        if (!model.isLocal()) {
            // Resolve the credential now, so a missing one is a 403 the caller sees before any stream opens.
            TextGenerator first = resilience.guard(model.source(), providers.generator(caller, model));
            TextGenerator chain = withFallbacks(caller, model, first, listener);
            return scheduler.submitDirect(caller.user().id(), model.id(), model.id(), request, () -> chain,
                    listener, (job, result) -> recordUsage(caller, job, result), !command.stream());
        }
        String runOn = model.id();
        if (command.onLoading() == OnLoading.FALLBACK && models.state(model.id()).phase() != ModelState.Phase.READY) {
            Optional<String> fallback = models.defaultModel()
                    .filter(defaultId -> !defaultId.equals(model.id()))
                    .filter(defaultId -> models.state(defaultId).phase() == ModelState.Phase.READY)
                    .filter(defaultId -> access.permits(caller, defaultId));
            if (fallback.isPresent()) {
                runOn = fallback.get();
                loadInBackground(model.id());
                listener.on(new GenerationEvent.Fallback(model.id(), runOn));
            }
        }
        return scheduler.submit(caller.user().id(), runOn, model.id(), request, listener,
                (job, result) -> recordUsage(caller, job, result));
    }

    /**
     * The model's generator, then its fallbacks in order: the next one is tried when the previous failed
     * before its first byte with a transient error, or its provider is cooling down. A fallback the caller
     * may not use, or has no credential for, is skipped.
     */
    private TextGenerator withFallbacks(Caller caller, ModelRecord model, TextGenerator first,
                                        GenerationListener listener) {
        List<ModelRecord> fallbacks = model.fallbacks().stream()
                .flatMap(id -> registry.find(id).stream())
                .filter(candidate -> !candidate.isLocal() && candidate.status() == ModelRecord.Status.AVAILABLE)
                .filter(candidate -> candidate.capabilities().contains("chat"))
                .filter(candidate -> access.permits(caller, candidate.id()))
                .toList();
        if (fallbacks.isEmpty()) {
            return first;
        }
        return (request, sink, cancellation) -> {
            try {
                return first.generate(request, sink, cancellation);
            } catch (PlugAiException.Upstream failure) {
                PlugAiException.Upstream last = failure;
                if (!fallsBack(failure)) {
                    throw failure;
                }
                for (ModelRecord candidate : fallbacks) {
                    TextGenerator next;
                    try {
                        next = resilience.guard(candidate.source(), providers.generator(caller, candidate));
                    } catch (PlugAiException unusable) {
                        continue;
                    }
                    listener.on(new GenerationEvent.Fallback(model.id(), candidate.id()));
                    try {
                        return next.generate(request, sink, cancellation);
                    } catch (PlugAiException.Upstream again) {
                        last = again;
                        if (!fallsBack(again)) {
                            throw again;
                        }
                    }
                }
                throw last;
            }
        };
    }

    private static boolean fallsBack(PlugAiException.Upstream failure) {
        return ProviderResilience.mayFallBack(failure);
    }

    /** The model, if it exists, is available and the caller may use it; 404 otherwise (no existence leak). */
    public ModelRecord usableModel(Caller caller, String modelId) {
        if (modelId == null || modelId.isBlank()) {
            throw new PlugAiException.InvalidRequest("Name a model, e.g. \"model\": \"local/...\" (see GET /v1/models).");
        }
        ModelRecord model = registry.find(modelId)
                .filter(record -> access.permits(caller, record.id()))
                .orElseThrow(() -> new PlugAiException.NotFound("No model with id " + modelId + "."));
        if (model.status() != ModelRecord.Status.AVAILABLE) {
            throw new PlugAiException.Conflict("Model " + modelId + " is " + model.status().name().toLowerCase(
                    java.util.Locale.ROOT) + model.statusReason().map(reason -> ": " + reason).orElse("."));
        }
        return model;
    }

    private TextRequest textRequest(ModelRecord model, GenerateCommand command) {
        boolean hasMessages = !command.messages().isEmpty();
        boolean hasPrompt = command.prompt().isPresent();
        if (hasMessages == hasPrompt) {
            throw new PlugAiException.InvalidRequest("Give either messages or prompt (exactly one of them).");
        }
        if (hasMessages && command.messages().size() > MAX_MESSAGES) {
            throw new PlugAiException.InvalidRequest("At most " + MAX_MESSAGES + " messages.");
        }
        long length = hasPrompt ? command.prompt().get().length()
                : command.messages().stream().mapToLong(message -> message.content().length()).sum();
        if (length > MAX_TEXT) {
            throw new PlugAiException.InvalidRequest("The input is too long (" + length + " characters).");
        }
        int images = command.attachmentCount();
        if (images > 0 && !model.capabilities().contains("vision")) {
            throw new PlugAiException.InvalidRequest("Model " + model.id() + " takes no images; send text only, or "
                    + "pick a model whose inputs include images (GET /v1/models lists them).");
        }
        if (images > AttachmentResolver.MAX_ATTACHMENTS) {
            throw new PlugAiException.InvalidRequest("At most " + AttachmentResolver.MAX_ATTACHMENTS
                    + " attachments per request.");
        }
        validator.validate(model.id(), model.parameterSchema(), command.params());
        SamplingParameters parameters = parameters(command.params());
        if (hasPrompt && images == 0) {
            return TextRequest.prompt(command.prompt().get(), parameters);
        }
        // Only checked and cheap work above: URLs are fetched once the request is known to be servable.
        List<ChatMessage> messages = hasPrompt
                ? List.of(new ChatMessage("user", command.prompt().get()))
                : chatMessages(command.messages());
        return TextRequest.chat(withTopLevelAttachments(messages, command.attachments()), parameters);
    }

    private List<ChatMessage> chatMessages(List<Message> turns) {
        // Every turn is checked before any image is fetched.
        for (Message turn : turns) {
            if (!ChatMessage.isRole(turn.role())) {
                throw new PlugAiException.InvalidRequest("A message role must be system, user or assistant, not '"
                        + turn.role() + "'.");
            }
            if (!turn.attachments().isEmpty() && !"user".equals(turn.role())) {
                throw new PlugAiException.InvalidRequest("Only user messages can carry attachments, not '"
                        + turn.role() + "' ones.");
            }
        }
        List<ChatMessage> messages = new ArrayList<>(turns.size());
        int numbered = 1;
        for (Message turn : turns) {
            List<ImageInput> images = attachments.resolve(turn.attachments(), numbered);
            numbered += images.size();
            messages.add(new ChatMessage(turn.role(), turn.content(), images));
        }
        return messages;
    }

    /** The request-level attachments go with the last user message. */
    private List<ChatMessage> withTopLevelAttachments(List<ChatMessage> messages, List<AttachmentSource> sources) {
        if (sources.isEmpty()) {
            return messages;
        }
        int lastUser = -1;
        int numbered = 1;
        for (int i = 0; i < messages.size(); i++) {
            numbered += messages.get(i).images().size();
            if (messages.get(i).role().equals("user")) {
                lastUser = i;
            }
        }
        if (lastUser < 0) {
            throw new PlugAiException.InvalidRequest("Attachments go with a user message; the request has none.");
        }
        List<ChatMessage> result = new ArrayList<>(messages);
        result.set(lastUser, messages.get(lastUser).withImages(attachments.resolve(sources, numbered)));
        return result;
    }

    private static SamplingParameters parameters(JsonNode params) {
        if (params == null || params.isNull() || params.isEmpty()) {
            return SamplingParameters.defaults();
        }
        List<String> stop = new ArrayList<>();
        params.path("stop").forEach(node -> stop.add(node.asText()));
        return new SamplingParameters(doubleOf(params, "temperature"), doubleOf(params, "top_p"),
                params.has("top_k") ? params.get("top_k").asInt() : null, doubleOf(params, "min_p"),
                params.has("max_tokens") ? params.get("max_tokens").asInt() : null,
                params.has("seed") ? params.get("seed").asLong() : null, stop, doubleOf(params, "repeat_penalty"));
    }

    private static Double doubleOf(JsonNode params, String name) {
        return params.has(name) ? params.get(name).asDouble() : null;
    }

    private void loadInBackground(String modelId) {
        try {
            models.load(modelId).exceptionally(error -> null);
        } catch (PlugAiException e) {
            LOG.warn("Could not start loading {} while falling back: {}", modelId, e.getMessage());
        }
    }

    private void recordUsage(Caller caller, Job job, GenerationResult result) {
        try {
            String outcome = result == null ? "failed" : result.finishReason().name().toLowerCase(java.util.Locale.ROOT);
            Long queueMillis = job.startedAt().map(start -> Duration.between(job.createdAt(), start).toMillis()).orElse(null);
            usage.record(new UsageLog.Usage(job.id(), caller.user().id(), caller.tokenId().orElse(null), job.model(),
                    job.requestedModel(), "generate", result == null ? 0 : result.usage().promptTokens(),
                    result == null ? 0 : result.usage().completionTokens(), queueMillis,
                    result == null ? null : result.timings().timeToFirstToken().toMillis(),
                    result == null ? null : result.timings().total().toMillis(),
                    result == null ? null : result.timings().tokensPerSecond(), outcome));
        } catch (RuntimeException e) {
            LOG.warn("Recording usage of job {} failed", job.id(), e);
        }
    }
}
