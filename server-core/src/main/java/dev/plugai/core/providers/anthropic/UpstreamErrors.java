package dev.plugai.core.providers.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.plugai.core.errors.ErrorKind;
import dev.plugai.core.errors.PlugAiException;
import dev.plugai.core.json.JsonMappers;
import okhttp3.Response;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Date;
import java.util.regex.Pattern;

/**
 * The one place Anthropic failures become {@link PlugAiException.Upstream}: HTTP statuses, {@code error}
 * bodies and events, and transport failures. Every detail passes through {@link #redact} because an
 * upstream error message may echo the key it refused. Immutable and thread-safe.
 */
final class UpstreamErrors {

    private static final ObjectMapper JSON = JsonMappers.create();
    /* Enough of an error body to find its message; an HTML error page from a proxy is not worth more. */
    private static final long MAX_ERROR_BODY_BYTES = 16 * 1024;
    private static final int MAX_DETAIL_CHARS = 300;
    /* Anthropic's key shape, so a key other than ours (e.g. a typo of it) is not shown either. */
    private static final Pattern ANTHROPIC_KEY = Pattern.compile("sk-ant-[A-Za-z0-9_\\-]+");
    private static final String REDACTED = "[redacted]";

    private final String apiKey;
    private final Clock clock;

    UpstreamErrors(String apiKey, Clock clock) {
        this.apiKey = apiKey;
        this.clock = clock;
    }

    /** A non-2xx answer, before any output. Reads (a bounded part of) the body. */
    PlugAiException.Upstream fromStatus(Response response) {
        int status = response.code();
        ErrorKind kind = switch (status) {
            case 401, 403 -> ErrorKind.PROVIDER_AUTH;
            case 429 -> ErrorKind.RATE_LIMITED;
            case 504 -> ErrorKind.UPSTREAM_TIMEOUT;
            default -> status >= 400 && status < 500 ? ErrorKind.PROVIDER_REJECTED : ErrorKind.UPSTREAM_ERROR;
        };
        String detail = "Anthropic answered HTTP " + status + describe(errorOf(response));
        return new PlugAiException.Upstream(kind, redact(detail), true, retryAfter(response), null);
    }

    /** An {@code error} event inside a stream whose status was already 200. */
    PlugAiException.Upstream fromEvent(JsonNode event, boolean beforeFirstByte) {
        JsonNode error = event.path("error");
        ErrorKind kind = switch (error.path("type").asText("")) {
            case "authentication_error", "permission_error" -> ErrorKind.PROVIDER_AUTH;
            case "rate_limit_error" -> ErrorKind.RATE_LIMITED;
            case "timeout_error" -> ErrorKind.UPSTREAM_TIMEOUT;
            default -> ErrorKind.UPSTREAM_ERROR;
        };
        String detail = "Anthropic reported an error in the stream" + describe(error);
        return new PlugAiException.Upstream(kind, redact(detail), beforeFirstByte, null, null);
    }

    /** A stream that broke its own protocol: unparsable data, a missing field, an early end. */
    PlugAiException.Upstream malformed(String what, boolean beforeFirstByte) {
        return new PlugAiException.Upstream(ErrorKind.UPSTREAM_ERROR, "Anthropic sent a malformed answer: " + what,
                beforeFirstByte, null, null);
    }

    /** A connection failure or timeout; OkHttp's messages name hosts and ports, never headers. */
    PlugAiException.Upstream fromTransport(IOException failure, boolean beforeFirstByte) {
        if (failure instanceof InterruptedIOException) {
            return new PlugAiException.Upstream(ErrorKind.UPSTREAM_TIMEOUT, "Anthropic did not answer in time.",
                    beforeFirstByte, null, failure);
        }
        return new PlugAiException.Upstream(ErrorKind.UPSTREAM_ERROR,
                "The connection to Anthropic failed" + (beforeFirstByte ? "." : " in the middle of the answer."),
                beforeFirstByte, null, failure);
    }

    String redact(String text) {
        return ANTHROPIC_KEY.matcher(text.replace(apiKey, REDACTED)).replaceAll(REDACTED);
    }

    private static JsonNode errorOf(Response response) {
        try {
            return JSON.readTree(response.peekBody(MAX_ERROR_BODY_BYTES).string()).path("error");
        } catch (IOException | RuntimeException unreadable) {
            // A body that is not Anthropic's error JSON (a proxy's HTML page) says nothing worth passing on.
            return JSON.missingNode();
        }
    }

    private static String describe(JsonNode error) {
        String type = error.path("type").asText("");
        String message = error.path("message").asText("");
        if (message.length() > MAX_DETAIL_CHARS) {
            message = message.substring(0, MAX_DETAIL_CHARS) + "…";
        }
        StringBuilder detail = new StringBuilder();
        if (!type.isEmpty()) {
            detail.append(" (").append(type).append(")");
        }
        if (!message.isEmpty()) {
            detail.append(": ").append(message);
        }
        return detail.append(detail.toString().endsWith(".") ? "" : ".").toString();
    }

    /* Anthropic sends whole seconds; HTTP also allows a date, which the injected clock turns into a wait. */
    private Duration retryAfter(Response response) {
        String value = response.header("retry-after");
        if (value == null) {
            return null;
        }
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(value.strip())));
        } catch (NumberFormatException notSeconds) {
            Date date = response.headers().getDate("retry-after");
            if (date == null) {
                return null;
            }
            Duration wait = Duration.between(clock.instant(), date.toInstant());
            return wait.isNegative() ? Duration.ZERO : wait;
        }
    }
}
