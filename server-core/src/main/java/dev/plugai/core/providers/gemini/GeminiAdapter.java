package dev.plugai.core.providers.gemini;

import dev.plugai.core.backends.Embedder;
import dev.plugai.core.backends.TextGenerator;
import dev.plugai.core.errors.PlugAiException;
import dev.plugai.core.identity.credentials.AccessTokens;
import dev.plugai.core.identity.credentials.CredentialSecret;
import dev.plugai.core.providers.ProviderAdapter;
import dev.plugai.core.providers.ProviderEndpoint;
import dev.plugai.core.providers.RemoteModel;
import dev.plugai.core.providers.gemini.GeminiWire.Model;
import dev.plugai.core.providers.gemini.GeminiWire.ModelList;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * The {@link ProviderAdapter} for Google's Gemini API (generativelanguage.googleapis.com), authenticated with an
 * API key or a Google service account. Thread-safe.
 */
public final class GeminiAdapter implements ProviderAdapter {

    private static final String MODEL_PREFIX = "models/";
    // Google's maximum page size for models.list; most accounts fit in one page.
    private static final int PAGE_SIZE = 1000;

    private final GeminiTransport transport;
    private final Clock clock;

    /** An adapter for an API key credential. */
    public GeminiAdapter(ProviderEndpoint endpoint, CredentialSecret credential, OkHttpClient client, Clock clock) {
        this(endpoint, credential, client, clock, null);
    }

    /** An adapter for an API key or a Google service account, whose access tokens come from {@code accessTokens}. */
    public GeminiAdapter(ProviderEndpoint endpoint, CredentialSecret credential, OkHttpClient client, Clock clock,
                         AccessTokens accessTokens) {
        this.transport = new GeminiTransport(Objects.requireNonNull(endpoint, "endpoint"), credential, accessTokens,
                client);
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public List<RemoteModel> listModels() {
        List<RemoteModel> models = new ArrayList<>();
        String pageToken = null;
        do {
            HttpUrl.Builder url = transport.modelsUrl().newBuilder()
                    .addQueryParameter("pageSize", Integer.toString(PAGE_SIZE));
            if (pageToken != null) {
                url.addQueryParameter("pageToken", pageToken);
            }
            ModelList page = transport.execute(transport.get(url.build()), ModelList.class);
            if (page == null) {
                break;
            }
            if (page.models() != null) {
                page.models().stream().filter(model -> model != null && model.name() != null)
                        .map(GeminiAdapter::remoteModel).forEach(models::add);
            }
            pageToken = page.nextPageToken() == null || page.nextPageToken().isBlank() ? null : page.nextPageToken();
        } while (pageToken != null);
        return List.copyOf(models);
    }

    @Override
    public TextGenerator textGenerator(String upstreamModel) {
        return new GeminiTextGenerator(transport, modelId(upstreamModel), clock);
    }

    @Override
    public Optional<Embedder> embedder(String upstreamModel) {
        return Optional.of(new GeminiEmbedder(transport, modelId(upstreamModel)));
    }

    private static RemoteModel remoteModel(Model model) {
        Set<String> capabilities = new HashSet<>();
        List<String> methods = model.supportedGenerationMethods() == null ? List.of()
                : model.supportedGenerationMethods();
        String id = stripPrefix(model.name());
        if (methods.contains("generateContent")) {
            capabilities.add("chat");
            // Gemini and Gemma 3 models take images; the listing does not say which input kinds a model takes.
            if (id.startsWith("gemini-") || id.startsWith("gemma-3")) {
                capabilities.add("vision");
            }
        }
        if (methods.contains("embedContent") || methods.contains("batchEmbedContents")) {
            capabilities.add("embeddings");
        }
        return new RemoteModel(id, model.displayName() == null ? id : model.displayName(),
                model.inputTokenLimit() == null ? OptionalInt.empty() : OptionalInt.of(model.inputTokenLimit()),
                capabilities);
    }

    /** Accepts both {@code gemini-2.0-flash} and Google's own {@code models/gemini-2.0-flash}. */
    private static String modelId(String upstreamModel) {
        String id = stripPrefix(Objects.requireNonNull(upstreamModel, "upstreamModel").strip());
        if (id.isEmpty()) {
            throw new PlugAiException.InvalidRequest("A Gemini model name is required.");
        }
        return id;
    }

    private static String stripPrefix(String name) {
        return name.startsWith(MODEL_PREFIX) ? name.substring(MODEL_PREFIX.length()) : name;
    }
}
