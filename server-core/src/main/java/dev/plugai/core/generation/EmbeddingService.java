package dev.plugai.core.generation;

import dev.plugai.core.backends.Embedder;
import dev.plugai.core.backends.LoadedModel;
import dev.plugai.core.errors.ErrorKind;
import dev.plugai.core.errors.PlugAiException;
import dev.plugai.core.identity.Caller;
import dev.plugai.core.lifecycle.ModelManager;
import dev.plugai.core.registry.ModelRecord;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Embeddings from local models (ONNX sentence-embedding folders through DJL, GGUF embedding models
 * through llama.cpp): loads the model if needed, embeds, and records usage. Embedding calls are short,
 * so they bypass the generation queue.
 *
 * <p>Thread-safe.
 */
public final class EmbeddingService {

    private static final int MAX_INPUTS = 256;
    private static final int MAX_INPUT_CHARS = 32_000;
    private static final Duration LOAD_WAIT = Duration.ofMinutes(5);

    private final GenerationService generation;
    private final ModelManager models;
    private final UsageLog usage;
    private final java.time.Clock clock;
    private final dev.plugai.core.providers.ProviderService providers;

    public EmbeddingService(GenerationService generation, ModelManager models, UsageLog usage, java.time.Clock clock,
                            dev.plugai.core.providers.ProviderService providers) {
        this.providers = providers;
        this.generation = generation;
        this.models = models;
        this.usage = usage;
        this.clock = clock;
    }

    /**
     * The result of one call.
     *
     * @param model      the model that embedded
     * @param embeddings the vectors and token count
     */
    public record Result(String model, Embedder.Embeddings embeddings) {
    }

    /** Embeds {@code inputs} with {@code modelId}, waiting for the model to load if needed. */
    public Result embed(Caller caller, String modelId, List<String> inputs, boolean normalise) {
        ModelRecord model = generation.usableModel(caller, modelId);
        if (!model.capabilities().contains("embeddings")) {
            throw new PlugAiException.InvalidRequest("Model " + model.id() + " does not make embeddings.");
        }
        if (inputs.isEmpty() || inputs.size() > MAX_INPUTS) {
            throw new PlugAiException.InvalidRequest("input needs 1 to " + MAX_INPUTS + " texts.");
        }
        for (int index = 0; index < inputs.size(); index++) {
            String input = inputs.get(index);
            if (input == null || input.length() > MAX_INPUT_CHARS) {
                throw new PlugAiException.InvalidRequest("input[" + index + "] must be a text of at most "
                        + MAX_INPUT_CHARS + " characters.");
            }
        }
        Instant started = clock.instant();
        if (!model.isLocal()) {
            Embedder remote = providers.embedder(caller, model).orElseThrow(() -> new PlugAiException.InvalidRequest(
                    "Provider " + model.source() + " offers no embeddings."));
            return recorded(caller, model, started, remote.embed(inputs, normalise));
        }
        await(model.id());
        try (ModelManager.Lease lease = models.lease(model.id())) {
            Embedder embedder = lease.model().embedder().orElseThrow(() -> new PlugAiException.InvalidRequest(
                    "Model " + model.id() + " does not make embeddings."));
            return recorded(caller, model, started, embedder.embed(inputs, normalise));
        }
    }

    private Result recorded(Caller caller, ModelRecord model, Instant started, Embedder.Embeddings embeddings) {
        long total = Duration.between(started, clock.instant()).toMillis();
        usage.record(new UsageLog.Usage("emb_" + started.toEpochMilli(), caller.user().id(),
                caller.tokenId().orElse(null), model.id(), model.id(), "embeddings", embeddings.promptTokens(), 0,
                null, null, total, null, "stop"));
        return new Result(model.id(), embeddings);
    }

    private LoadedModel await(String modelId) {
        try {
            return models.load(modelId).get(LOAD_WAIT.toSeconds(), TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof PlugAiException domain) {
                throw domain;
            }
            throw new PlugAiException.Unavailable(ErrorKind.MODEL_LOAD_FAILED, "Model " + modelId
                    + " could not be loaded.", e.getCause());
        } catch (TimeoutException e) {
            throw new PlugAiException.Unavailable(ErrorKind.UNAVAILABLE, "Model " + modelId
                    + " is still loading; try again shortly.", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PlugAiException.Unavailable(ErrorKind.UNAVAILABLE, "Interrupted.", e);
        }
    }
}
