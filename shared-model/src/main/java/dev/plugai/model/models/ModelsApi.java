package dev.plugai.model.models;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** The models part of the API contract: the catalogue and each model's parameters. */
public final class ModelsApi {

    private ModelsApi() {
    }

    /**
     * A model as listed.
     *
     * @param id             {@code local/<slug>} or {@code <provider>/<model>}; the value of {@code model} in requests
     * @param name           a human name
     * @param source         {@code local} or the provider id
     * @param format         gguf, onnx or remote
     * @param status         available, missing or invalid
     * @param statusReason   why a model is missing or invalid
     * @param architecture   e.g. llama, qwen2, bert
     * @param quantization   e.g. Q4_K_M, F16
     * @param contextLength  trained context length in tokens
     * @param parameterCount number of weights
     * @param sizeBytes      bytes on disk
     * @param modalitiesIn   accepted inputs: text, image, ...
     * @param modalitiesOut  produced outputs: text, embedding, image, 3d, ...
     * @param capabilities   chat, completion, embeddings, vision, ...
     * @param details        further facts: size label, recommended sampling, chat template, dimensions, ...
     * @param runtime        for local models: its place in memory
     * @param runnerSettings for local models: how an admin asked the runner to hold it
     * @param fallbacks      models tried in order when this one fails before its first byte
     */
    public record ModelView(String id, String name, String source, String format, String status, String statusReason,
                            String architecture, String quantization, Integer contextLength, Long parameterCount,
                            long sizeBytes, List<String> modalitiesIn, List<String> modalitiesOut,
                            List<String> capabilities, Map<String, Object> details, ModelRuntime runtime,
                            RunnerSettings runnerSettings, List<String> fallbacks, Instant discoveredAt,
                            Instant updatedAt) {
    }

    /** {@code PUT /v1/admin/models/{id}/fallbacks}: models tried in order when this one fails before its first byte. */
    public record FallbacksRequest(List<String> models) {
    }

    /**
     * How a local model is held ({@code PUT /v1/admin/models/{id}/settings}); absent values are chosen
     * automatically. Changes apply at the model's next load.
     *
     * @param threads       CPU threads for decoding (automatic: all cores)
     * @param contextSize   context window in tokens (automatic: the model's, at most 4096)
     * @param gpuLayers     layers offloaded to a GPU (automatic: 0 on CPU-only machines)
     * @param parallelSlots generations served at once (automatic: {@code scheduler.slots-per-model})
     */
    public record RunnerSettings(Integer threads, Integer contextSize, Integer gpuLayers, Integer parallelSlots) {
    }

    /**
     * A local model's place in memory.
     *
     * @param phase       unloaded, loading, ready or failed
     * @param progress    load progress 0..1
     * @param memoryBytes memory held (estimate while loading)
     * @param lastUsedAt  last generation
     * @param isDefault   the default model
     * @param failure     why the last load failed
     */
    public record ModelRuntime(String phase, double progress, long memoryBytes, Instant lastUsedAt, boolean isDefault,
                               String failure) {
    }


    /** One parameter a model takes, with what it does and sensible values for this model. */
    public record ParameterView(String name, String type, Object minimum, Object maximum, Object defaultValue,
                                String description, String guidance) {
    }

    /**
     * {@code GET /v1/models/{id}/parameters}.
     *
     * @param model      the model id
     * @param schema     the JSON Schema that {@code params} of a request must satisfy
     * @param parameters the same, as a readable list with guidance
     */
    public record ParametersView(String model, Map<String, Object> schema, List<ParameterView> parameters) {
    }

    /**
     * A remote provider instance ({@code /v1/admin/providers/{id}}).
     *
     * @param id            the model id prefix, e.g. {@code openai}
     * @param kind          openai, openai-compatible, anthropic, gemini, huggingface
     * @param baseUrl       the API's base URL (defaults for the public providers)
     * @param headers       extra request headers (never credentials)
     * @param allowedModels upstream model ids that may be used; absent: every listed model
     * @param configured    defined in the config file, so only changed there (the admin API answers 409)
     */
    public record ProviderView(String id, String kind, String baseUrl, Map<String, String> headers,
                               List<String> allowedModels, boolean configured) {
    }

    /**
     * {@code PUT /v1/admin/providers/{id}/models/{model}}: a provider's model registered by hand.
     *
     * @param capabilities  chat, vision (with chat) and/or embeddings
     * @param contextLength the context window in tokens, if known
     * @param displayName   the name shown in listings; the model's name when absent
     */
    public record ModelRegistration(List<String> capabilities, Integer contextLength, String displayName) {
    }

    /** {@code PUT /v1/admin/providers/{id}}. */
    public record ProviderRequest(String kind, String baseUrl, Map<String, String> headers, List<String> allowedModels) {
    }
}
