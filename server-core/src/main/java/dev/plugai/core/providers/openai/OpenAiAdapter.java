package dev.plugai.core.providers.openai;

import com.fasterxml.jackson.databind.JsonNode;
import dev.plugai.core.backends.Embedder;
import dev.plugai.core.backends.TextGenerator;
import dev.plugai.core.errors.ErrorKind;
import dev.plugai.core.errors.PlugAiException;
import dev.plugai.core.identity.credentials.CredentialSecret;
import dev.plugai.core.providers.ProviderAdapter;
import dev.plugai.core.providers.ProviderEndpoint;
import dev.plugai.core.providers.RemoteModel;
import okhttp3.OkHttpClient;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * The adapter for OpenAI and every OpenAI-compatible API (Ollama, vLLM, LM Studio, llama-server,
 * OpenRouter, Groq, Together, Mistral, DeepSeek, the Hugging Face router): only the base URL and the key
 * differ. Immutable and thread-safe.
 *
 * <p>Timeouts come from the given {@link OkHttpClient}: {@code connectTimeout} bounds connecting,
 * {@code readTimeout} both the wait for the first byte and the silence between two stream chunks, and
 * {@code callTimeout} the whole call (leave it 0, or long answers are cut). A timeout is reported as
 * {@link ErrorKind#UPSTREAM_TIMEOUT}.
 */
public final class OpenAiAdapter implements ProviderAdapter {

    /** The endpoint kind of OpenAI's own API, as opposed to {@code openai-compatible}. */
    static final String OPENAI_KIND = "openai";

    private final OpenAiTransport transport;
    private final boolean maxCompletionTokens;

    /**
     * @param credential an {@link CredentialSecret.ApiKey} or {@link CredentialSecret.BearerToken}, sent as
     *                   {@code Authorization: Bearer}; any other kind is refused
     */
    public OpenAiAdapter(ProviderEndpoint endpoint, CredentialSecret credential, OkHttpClient client, Clock clock) {
        String bearer = switch (credential) {
            case CredentialSecret.ApiKey apiKey -> apiKey.key();
            case CredentialSecret.BearerToken token -> token.token();
            default -> throw new PlugAiException.InvalidRequest("Provider '" + endpoint.id()
                    + "' (OpenAI-compatible) needs an API key or a bearer token, not a "
                    + credential.type() + " credential.");
        };
        this.transport = new OpenAiTransport(endpoint, bearer, client, clock);
        // OpenAI itself deprecated max_tokens, and its reasoning models refuse it; compatible servers
        // (llama-server, older vLLM and Ollama) know only max_tokens. The endpoint kind tells which API this is.
        this.maxCompletionTokens = OPENAI_KIND.equals(endpoint.kind());
    }

    @Override
    public List<RemoteModel> listModels() {
        JsonNode data = transport.exchangeJson("models", null).path("data");
        if (!data.isArray()) {
            throw transport.malformed("the model listing has no data array", true);
        }
        List<RemoteModel> models = new ArrayList<>();
        for (JsonNode model : data) {
            String id = model.path("id").asText("");
            if (id.isBlank()) {
                continue;
            }
            models.add(new RemoteModel(id, id, contextLength(model), capabilities(model)));
        }
        return List.copyOf(models);
    }

    @Override
    public TextGenerator textGenerator(String upstreamModel) {
        return new OpenAiChat(transport, upstreamModel, maxCompletionTokens);
    }

    @Override
    public Optional<Embedder> embedder(String upstreamModel) {
        return Optional.of(new OpenAiEmbedder(transport, upstreamModel));
    }

    /**
     * OpenRouter says which inputs and outputs a model takes ({@code architecture.input_modalities}); OpenAI,
     * Ollama and vLLM do not, and an empty set leaves it to a guess from the name.
     */
    private static Set<String> capabilities(JsonNode model) {
        JsonNode inputs = model.path("architecture").path("input_modalities");
        JsonNode outputs = model.path("architecture").path("output_modalities");
        if (!inputs.isArray() || !outputs.isArray()) {
            return Set.of();
        }
        Set<String> capabilities = new HashSet<>();
        outputs.forEach(output -> {
            if (output.asText().equals("text")) {
                capabilities.add("chat");
            }
        });
        if (capabilities.contains("chat")) {
            inputs.forEach(input -> {
                if (input.asText().equals("image")) {
                    capabilities.add("vision");
                }
            });
        }
        return capabilities;
    }

    /** OpenAI does not say; OpenRouter (context_length) and vLLM (max_model_len) do. */
    private static OptionalInt contextLength(JsonNode model) {
        for (String field : List.of("context_length", "max_model_len")) {
            JsonNode value = model.get(field);
            if (value != null && value.canConvertToInt() && value.asInt() > 0) {
                return OptionalInt.of(value.asInt());
            }
        }
        return OptionalInt.empty();
    }
}
