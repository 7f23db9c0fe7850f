package dev.plugai.core.providers.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.plugai.core.backends.Embedder;
import dev.plugai.core.backends.TextGenerator;
import dev.plugai.core.errors.PlugAiException;
import dev.plugai.core.identity.credentials.CredentialSecret;
import dev.plugai.core.json.JsonMappers;
import dev.plugai.core.providers.ProviderAdapter;
import dev.plugai.core.providers.ProviderEndpoint;
import dev.plugai.core.providers.RemoteModel;
import okhttp3.OkHttpClient;
import okhttp3.Response;

import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * The adapter for Anthropic's Messages API ({@code https://api.anthropic.com/v1}): streamed text generation
 * and the model listing, authenticated with an API key; Anthropic offers no embeddings. Thread-safe.
 */
public final class AnthropicAdapter implements ProviderAdapter {

    private static final ObjectMapper JSON = JsonMappers.create();
    /* A runaway has_more would otherwise page forever; real listings are one page at limit=1000. */
    private static final int MAX_MODEL_PAGES = 20;

    private final AnthropicHttp http;
    private final Clock clock;

    public AnthropicAdapter(ProviderEndpoint endpoint, CredentialSecret credential, OkHttpClient client, Clock clock) {
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(client, "client");
        this.clock = Objects.requireNonNull(clock, "clock");
        if (!(credential instanceof CredentialSecret.ApiKey(String key))) {
            throw new PlugAiException.InvalidRequest("Anthropic takes an API key credential ("
                    + CredentialSecret.ApiKey.TYPE + "), not " + (credential == null ? "none" : credential.type())
                    + ".");
        }
        this.http = new AnthropicHttp(endpoint, key, client, new UpstreamErrors(key, clock));
    }

    @Override
    public List<RemoteModel> listModels() {
        List<RemoteModel> models = new ArrayList<>();
        String afterId = null;
        for (int page = 0; page < MAX_MODEL_PAGES; page++) {
            JsonNode listing = modelPage(afterId);
            for (JsonNode model : listing.path("data")) {
                String id = model.path("id").asText("");
                if (!id.isEmpty()) {
                    // Every model the Messages API still lists from Claude 3 on takes images.
                    boolean textOnly = id.startsWith("claude-2") || id.startsWith("claude-instant");
                    models.add(new RemoteModel(id, model.path("display_name").asText(id), OptionalInt.empty(),
                            textOnly ? Set.of("chat") : Set.of("chat", "vision")));
                }
            }
            afterId = listing.path("last_id").asText(null);
            if (!listing.path("has_more").asBoolean(false) || afterId == null) {
                break;
            }
        }
        return List.copyOf(models);
    }

    @Override
    public TextGenerator textGenerator(String upstreamModel) {
        return new AnthropicTextGenerator(http, Objects.requireNonNull(upstreamModel, "upstreamModel"), clock);
    }

    @Override
    public Optional<Embedder> embedder(String upstreamModel) {
        return Optional.empty();
    }

    private JsonNode modelPage(String afterId) {
        try (Response response = http.getModels(afterId).execute()) {
            if (!response.isSuccessful()) {
                throw http.errors().fromStatus(response);
            }
            JsonNode listing = JSON.readTree(response.body().string());
            if (listing == null || !listing.path("data").isArray()) {
                throw http.errors().malformed("a model listing without data.", true);
            }
            return listing;
        } catch (com.fasterxml.jackson.core.JsonProcessingException unparsable) {
            throw http.errors().malformed("a model listing that is not JSON.", true);
        } catch (IOException failure) {
            throw http.errors().fromTransport(failure, true);
        }
    }
}
