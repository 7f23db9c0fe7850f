package dev.plugai.core.providers;

import dev.plugai.core.identity.credentials.CredentialSecret;
import dev.plugai.core.providers.anthropic.AnthropicAdapter;
import dev.plugai.core.identity.credentials.AccessTokens;
import dev.plugai.core.providers.gemini.GeminiAdapter;
import dev.plugai.core.providers.openai.OpenAiAdapter;
import okhttp3.OkHttpClient;

import java.net.URI;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The one place where provider kinds are registered: for each kind, its default base URL and the
 * factory of its adapter. Adding a provider kind is an adapter class and an entry here; nothing else
 * branches on provider names.
 */
public final class ProviderKinds {

    /** Makes an adapter for one provider endpoint and credential. */
    @FunctionalInterface
    public interface Factory {
        ProviderAdapter create(ProviderEndpoint endpoint, CredentialSecret credential, OkHttpClient client, Clock clock);
    }

    /**
     * A kind of provider.
     *
     * @param defaultBaseUrl the public API's base URL, or empty when the operator must give one
     * @param parameters     the unified parameter names its API supports (others are refused, never dropped)
     * @param maxTemperature the top of its temperature range
     * @param factory        makes the adapter
     */
    public record Kind(Optional<URI> defaultBaseUrl, Set<String> parameters, double maxTemperature, Factory factory) {
        public Kind {
            parameters = Set.copyOf(parameters);
        }
    }

    private final Map<String, Kind> kinds;

    public ProviderKinds(Map<String, Kind> kinds) {
        this.kinds = new TreeMap<>(kinds);
    }

    /**
     * The kinds this build knows.
     *
     * @param accessTokens exchanges service-account and OAuth2 credentials for access tokens (cached)
     */
    public static ProviderKinds builtIn(AccessTokens accessTokens) {
        Set<String> openAiParameters = Set.of("temperature", "top_p", "max_tokens", "stop", "seed");
        Map<String, Kind> kinds = new TreeMap<>();
        kinds.put("openai", new Kind(Optional.of(URI.create("https://api.openai.com/v1")), openAiParameters, 2.0,
                OpenAiAdapter::new));
        // Any OpenAI-compatible server: Ollama, vLLM, LM Studio, llama-server, OpenRouter, Groq, Together, ...
        kinds.put("openai-compatible", new Kind(Optional.empty(), openAiParameters, 2.0, OpenAiAdapter::new));
        // Hugging Face Inference through its router's OpenAI-compatible chat endpoint.
        kinds.put("huggingface", new Kind(Optional.of(URI.create("https://router.huggingface.co/v1")),
                openAiParameters, 2.0, OpenAiAdapter::new));
        kinds.put("anthropic", new Kind(Optional.of(URI.create("https://api.anthropic.com/v1")),
                Set.of("temperature", "top_p", "top_k", "max_tokens", "stop"), 1.0, AnthropicAdapter::new));
        kinds.put("gemini", new Kind(Optional.of(URI.create("https://generativelanguage.googleapis.com/v1beta")),
                Set.of("temperature", "top_p", "top_k", "max_tokens", "stop", "seed"), 2.0,
                (endpoint, credential, client, clock) -> new GeminiAdapter(endpoint, credential, client, clock,
                        accessTokens)));
        return new ProviderKinds(kinds);
    }

    public Optional<Kind> find(String kind) {
        return Optional.ofNullable(kinds.get(kind));
    }

    public Set<String> names() {
        return kinds.keySet();
    }
}
