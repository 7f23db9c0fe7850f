package dev.plugai.core.providers.anthropic;

import dev.plugai.core.providers.ProviderEndpoint;
import okhttp3.Call;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;

import java.util.Map;

/**
 * Requests to one Anthropic endpoint with its key and API version. The key goes only into the
 * {@code x-api-key} header, never into a URL. Immutable and thread-safe.
 */
final class AnthropicHttp {

    /** The Messages API version this adapter speaks; its event and body shapes are the ones parsed here. */
    static final String API_VERSION = "2023-06-01";

    private static final MediaType JSON = MediaType.get("application/json");

    private final HttpUrl baseUrl;
    private final Map<String, String> extraHeaders;
    private final String apiKey;
    private final OkHttpClient client;
    private final UpstreamErrors errors;

    AnthropicHttp(ProviderEndpoint endpoint, String apiKey, OkHttpClient client, UpstreamErrors errors) {
        this.baseUrl = HttpUrl.get(endpoint.baseUrl().toString());
        this.extraHeaders = endpoint.headers();
        this.apiKey = apiKey;
        this.client = client;
        this.errors = errors;
    }

    Call postMessages(String json) {
        HttpUrl url = baseUrl.newBuilder().addPathSegment("messages").build();
        return client.newCall(request(url).header("accept", "text/event-stream")
                .post(RequestBody.create(json, JSON)).build());
    }

    Call getModels(String afterId) {
        HttpUrl.Builder url = baseUrl.newBuilder().addPathSegment("models").addQueryParameter("limit", "1000");
        if (afterId != null) {
            url.addQueryParameter("after_id", afterId);
        }
        return client.newCall(request(url.build()).get().build());
    }

    UpstreamErrors errors() {
        return errors;
    }

    /* The operator's headers may add beta flags or pin another version; the key is set last so none replaces it. */
    private Request.Builder request(HttpUrl url) {
        Request.Builder request = new Request.Builder().url(url).header("anthropic-version", API_VERSION);
        extraHeaders.forEach(request::header);
        return request.header("x-api-key", apiKey);
    }
}
