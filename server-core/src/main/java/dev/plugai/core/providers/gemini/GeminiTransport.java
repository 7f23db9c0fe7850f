package dev.plugai.core.providers.gemini;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.plugai.core.errors.PlugAiException;
import dev.plugai.core.identity.credentials.AccessTokens;
import dev.plugai.core.identity.credentials.CredentialSecret;
import dev.plugai.core.identity.credentials.CredentialSecret.ApiKey;
import dev.plugai.core.identity.credentials.CredentialSecret.GoogleServiceAccount;
import dev.plugai.core.providers.ProviderEndpoint;
import okhttp3.Call;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Builds authorised calls to one Gemini endpoint and turns failed answers into domain errors. The credential
 * goes only into a header ({@code x-goog-api-key} or {@code Authorization}), never into a URL, because URLs
 * end up in access logs and exception messages. Thread-safe.
 */
final class GeminiTransport {

    private static final MediaType JSON_TYPE = MediaType.get("application/json; charset=utf-8");
    // Belt and braces for redaction: Google API keys and OAuth access tokens have recognisable shapes.
    private static final Pattern GOOGLE_SECRETS = Pattern.compile("AIza[0-9A-Za-z_\\-]{35}|ya29\\.[0-9A-Za-z_\\-.]+");
    private static final String REDACTED = "[redacted]";

    private final HttpUrl baseUrl;
    private final Map<String, String> extraHeaders;
    private final CredentialSecret credential;
    private final AccessTokens accessTokens;
    private final OkHttpClient client;

    GeminiTransport(ProviderEndpoint endpoint, CredentialSecret credential, AccessTokens accessTokens,
                    OkHttpClient client) {
        this.baseUrl = HttpUrl.get(endpoint.baseUrl().toString());
        this.extraHeaders = endpoint.headers();
        this.credential = Objects.requireNonNull(credential, "credential");
        this.accessTokens = accessTokens;
        this.client = Objects.requireNonNull(client, "client");
        switch (credential) {
            case ApiKey ignored -> { }
            case GoogleServiceAccount ignored -> Objects.requireNonNull(accessTokens,
                    "a Google service account needs AccessTokens");
            default -> throw new IllegalArgumentException(
                    "Gemini takes an API key or a Google service account, not " + credential.type());
        }
    }

    /** {@code {base}/models/{model}{suffix}}; the model is one path segment, so a '/' in it cannot escape. */
    HttpUrl modelUrl(String model, String suffix) {
        return baseUrl.newBuilder().addPathSegment("models").addPathSegment(model + suffix).build();
    }

    HttpUrl modelsUrl() {
        return baseUrl.newBuilder().addPathSegment("models").build();
    }

    /** A POST of {@code body} as JSON, authorised. */
    Call post(HttpUrl url, Object body) {
        return client.newCall(authorised(url).post(RequestBody.create(toJson(body), JSON_TYPE)).build());
    }

    /** A GET, authorised. */
    Call get(HttpUrl url) {
        return client.newCall(authorised(url).get().build());
    }

    /** Executes a non-streamed call and reads its JSON answer as {@code type}. */
    <T> T execute(Call call, Class<T> type) {
        try (Response response = call.execute()) {
            if (!response.isSuccessful()) {
                throw failure(response, true);
            }
            String body = response.body().string();
            try {
                return GeminiWire.JSON.readValue(body, type);
            } catch (JsonProcessingException e) {
                // Jackson's message quotes the body; it is not worth the risk of echoing something.
                throw GeminiErrors.malformed("an answer that is not the expected JSON", true);
            }
        } catch (IOException e) {
            throw GeminiErrors.fromIo(e, true);
        }
    }

    /** The error for a non-2xx response; reads (and so consumes) the body. */
    PlugAiException.Upstream failure(Response response, boolean beforeFirstByte) throws IOException {
        if (response.code() == 401 && credential instanceof GoogleServiceAccount) {
            // The cached token may have been revoked: the next call fetches a fresh one.
            accessTokens.forget(credential);
        }
        return GeminiErrors.fromStatus(response.code(), response.headers(), response.body().string(),
                beforeFirstByte, this::redact);
    }

    /** {@code text} without the key or anything shaped like a Google secret. */
    String redact(String text) {
        String cleaned = text;
        if (credential instanceof ApiKey(String key)) {
            cleaned = cleaned.replace(key, REDACTED);
        }
        return GOOGLE_SECRETS.matcher(cleaned).replaceAll(REDACTED);
    }

    private Request.Builder authorised(HttpUrl url) {
        Request.Builder request = new Request.Builder().url(url);
        // Operator headers first, so none of them can replace the credential header set below.
        extraHeaders.forEach(request::header);
        switch (credential) {
            case ApiKey(String key) -> request.header("x-goog-api-key", key);
            case GoogleServiceAccount account -> request.header("Authorization",
                    "Bearer " + accessTokens.token(account, AccessTokens.GOOGLE_CLOUD_SCOPES).value());
            default -> throw new IllegalStateException("checked in the constructor");
        }
        return request;
    }

    private static byte[] toJson(Object body) {
        try {
            return GeminiWire.JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
