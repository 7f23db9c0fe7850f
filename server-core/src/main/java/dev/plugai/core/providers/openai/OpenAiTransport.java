package dev.plugai.core.providers.openai;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.plugai.core.errors.ErrorKind;
import dev.plugai.core.errors.PlugAiException;
import dev.plugai.core.json.JsonMappers;
import dev.plugai.core.providers.ProviderEndpoint;
import okhttp3.Call;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The HTTP side shared by chat, models and embeddings: where requests go, how they are authenticated, and
 * how every upstream failure becomes one {@link PlugAiException.Upstream}. Immutable and thread-safe.
 *
 * <p>Timeouts are the given client's: {@code connectTimeout} for the connection, {@code readTimeout} for
 * the wait for the first byte and for the silence between two chunks, {@code callTimeout} for the whole call
 * (keep it 0 for streaming, or it cuts long answers).
 */
final class OpenAiTransport {

    static final ObjectMapper JSON = JsonMappers.create();

    private static final MediaType JSON_TYPE = MediaType.get("application/json");
    /** Enough of an error body to find its message; upstream error pages can be large HTML. */
    private static final long ERROR_BODY_LIMIT = 16 * 1024;
    private static final int DETAIL_LIMIT = 300;
    /** Provider key shapes (sk-..., gsk_..., hf_..., masked forms with '*') and any long token-like run. */
    private static final Pattern KEY_LIKE = Pattern.compile(
            "\\b(?:sk|gsk|hf|pk|rk|xai)[-_][A-Za-z0-9_\\-*.]{3,}|[A-Za-z0-9_\\-*.]{24,}");

    private final HttpUrl baseUrl;
    private final Map<String, String> extraHeaders;
    private final String bearer;
    private final OkHttpClient client;
    private final Clock clock;
    private final String providerId;

    OpenAiTransport(ProviderEndpoint endpoint, String bearer, OkHttpClient client, Clock clock) {
        HttpUrl parsed = HttpUrl.get(endpoint.baseUrl().toString());
        this.baseUrl = parsed;
        this.extraHeaders = endpoint.headers();
        this.bearer = bearer;
        this.client = client;
        this.clock = clock;
        this.providerId = endpoint.id();
    }

    Clock clock() {
        return clock;
    }

    String providerId() {
        return providerId;
    }

    /** A call to {@code path} under the base URL; the key goes only into the Authorization header. */
    Call newCall(String path, JsonNode body) {
        HttpUrl url = baseUrl.newBuilder().addPathSegments(path).build();
        Request.Builder request = new Request.Builder().url(url);
        extraHeaders.forEach(request::header);
        request.header("Authorization", "Bearer " + bearer);
        if (body != null) {
            request.post(RequestBody.create(body.toString(), JSON_TYPE));
        }
        return client.newCall(request.build());
    }

    /** Sends a call and reads a whole JSON answer (listing, embeddings). */
    JsonNode exchangeJson(String path, JsonNode body) {
        Call call = newCall(path, body);
        try (Response response = call.execute()) {
            if (!response.isSuccessful()) {
                throw statusFailure(response, true);
            }
            return JSON.readTree(response.body().string());
        } catch (JsonProcessingException e) {
            throw malformed("the " + path + " answer is not valid JSON", true);
        } catch (IOException e) {
            throw ioFailure(e, true);
        }
    }

    /** The failure for a non-2xx answer; its body's message is kept only after removing key-like text. */
    PlugAiException.Upstream statusFailure(Response response, boolean beforeFirstByte) {
        int code = response.code();
        ErrorKind kind = switch (code) {
            case 401, 403 -> ErrorKind.PROVIDER_AUTH;
            case 429 -> ErrorKind.RATE_LIMITED;
            default -> code >= 400 && code < 500 ? ErrorKind.PROVIDER_REJECTED : ErrorKind.UPSTREAM_ERROR;
        };
        Duration retryAfter = code == 429 || code == 503 ? retryAfter(response) : null;
        String message = upstreamMessage(response);
        String detail = "Provider '" + providerId + "' answered HTTP " + code
                + (message.isEmpty() ? "." : ": " + message);
        return new PlugAiException.Upstream(kind, detail, beforeFirstByte, retryAfter, null);
    }

    /** Timeouts become UPSTREAM_TIMEOUT, anything else on the wire UPSTREAM_ERROR. */
    PlugAiException.Upstream ioFailure(IOException failure, boolean beforeFirstByte) {
        // SocketTimeoutException is an InterruptedIOException; so is OkHttp's call timeout.
        if (failure instanceof InterruptedIOException) {
            return new PlugAiException.Upstream(ErrorKind.UPSTREAM_TIMEOUT,
                    "Provider '" + providerId + "' did not answer in time.", beforeFirstByte, null, failure);
        }
        return new PlugAiException.Upstream(ErrorKind.UPSTREAM_ERROR,
                "Connection to provider '" + providerId + "' failed: " + failure.getClass().getSimpleName() + ".",
                beforeFirstByte, null, failure);
    }

    /** A response we cannot read; no cause is kept, because parser messages quote the upstream's bytes. */
    PlugAiException.Upstream malformed(String what, boolean beforeFirstByte) {
        return new PlugAiException.Upstream(ErrorKind.UPSTREAM_ERROR,
                "Provider '" + providerId + "' sent a malformed response: " + what + ".", beforeFirstByte, null, null);
    }

    /** The upstream's own error message from an in-stream {@code {"error": {...}}}, made safe to show. */
    PlugAiException.Upstream streamError(JsonNode error, boolean beforeFirstByte) {
        String message = redact(error.path("message").asText(error.isTextual() ? error.asText() : ""));
        return new PlugAiException.Upstream(ErrorKind.UPSTREAM_ERROR,
                "Provider '" + providerId + "' reported an error mid-stream"
                        + (message.isEmpty() ? "." : ": " + message), beforeFirstByte, null, null);
    }

    /** Removes the key itself and anything shaped like a key (an upstream may echo all or part of it). */
    String redact(String text) {
        String cleaned = text.replace(bearer, "[redacted]");
        cleaned = KEY_LIKE.matcher(cleaned).replaceAll("[redacted]");
        cleaned = cleaned.replaceAll("\\s+", " ").strip();
        return cleaned.length() > DETAIL_LIMIT ? cleaned.substring(0, DETAIL_LIMIT) + "…" : cleaned;
    }

    private String upstreamMessage(Response response) {
        String raw;
        try {
            raw = response.peekBody(ERROR_BODY_LIMIT).string();
        } catch (IOException e) {
            return "";
        }
        String message = raw;
        try {
            JsonNode parsed = JSON.readTree(raw);
            JsonNode error = parsed == null ? null : parsed.get("error");
            if (error != null && error.isObject()) {
                message = error.path("message").asText("");
            } else if (error != null && error.isTextual()) {
                message = error.asText();
            } else if (parsed != null && parsed.hasNonNull("message")) {
                message = parsed.get("message").asText();
            }
        } catch (IOException notJson) {
            // Proxies answer with HTML or plain text: keep the (redacted, shortened) text.
        }
        return redact(message);
    }

    /** {@code retry-after-ms} (OpenAI) or {@code Retry-After} in seconds or as an HTTP date. */
    private Duration retryAfter(Response response) {
        String millis = response.header("retry-after-ms");
        if (millis != null) {
            try {
                return Duration.ofMillis(Math.max(0, Math.round(Double.parseDouble(millis.strip()))));
            } catch (NumberFormatException ignored) {
                // fall back to Retry-After
            }
        }
        String value = response.header("Retry-After");
        if (value == null) {
            return null;
        }
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(value.strip())));
        } catch (NumberFormatException notSeconds) {
            try {
                ZonedDateTime at = ZonedDateTime.parse(value.strip(), DateTimeFormatter.RFC_1123_DATE_TIME);
                Duration wait = Duration.between(clock.instant(), at.toInstant());
                return wait.isNegative() ? Duration.ZERO : wait;
            } catch (DateTimeParseException notDate) {
                return null;
            }
        }
    }
}
