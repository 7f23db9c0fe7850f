package dev.plugai.core.providers.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import dev.plugai.core.errors.ErrorKind;
import dev.plugai.core.errors.PlugAiException;
import dev.plugai.core.providers.gemini.GeminiWire.ErrorBody;
import dev.plugai.core.providers.gemini.GeminiWire.ErrorStatus;
import okhttp3.Headers;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Maps Gemini's HTTP statuses, error envelopes and I/O failures to {@link PlugAiException.Upstream}, in one place. */
final class GeminiErrors {

    private static final int MAX_MESSAGE = 300;
    private static final Pattern RETRY_DELAY = Pattern.compile("(\\d+(?:\\.\\d+)?)s");

    private GeminiErrors() {
    }

    /**
     * The error for a non-2xx answer or an error event. Google's messages are kept (they say what was wrong),
     * but run through {@code redact} first: some of them quote the request, and with it the key.
     */
    static PlugAiException.Upstream fromStatus(int httpCode, Headers headers, String body, boolean beforeFirstByte,
                                               UnaryOperator<String> redact) {
        ErrorStatus error = parse(body);
        return fromError(httpCode, headers, error, beforeFirstByte, redact);
    }

    static PlugAiException.Upstream fromError(int httpCode, Headers headers, ErrorStatus error, boolean beforeFirstByte,
                                              UnaryOperator<String> redact) {
        String status = error == null || error.status() == null ? "" : error.status();
        ErrorKind kind = kind(httpCode, status, error);
        Duration retryAfter = kind == ErrorKind.RATE_LIMITED ? retryAfter(headers, error) : null;
        StringBuilder detail = new StringBuilder("Gemini answered HTTP ").append(httpCode);
        if (!status.isEmpty()) {
            detail.append(' ').append(status);
        }
        if (error != null && error.message() != null && !error.message().isBlank()) {
            String message = redact.apply(error.message().strip());
            detail.append(": ").append(message.length() > MAX_MESSAGE
                    ? message.substring(0, MAX_MESSAGE) + "…" : message);
        }
        return new PlugAiException.Upstream(kind, detail.append('.').toString(), beforeFirstByte, retryAfter, null);
    }

    /** A connection failure; the exception's own message is left out because it may carry the URL. */
    static PlugAiException.Upstream fromIo(IOException e, boolean beforeFirstByte) {
        if (e instanceof InterruptedIOException) {
            return new PlugAiException.Upstream(ErrorKind.UPSTREAM_TIMEOUT, "Gemini did not answer in time.",
                    beforeFirstByte, null, e);
        }
        return new PlugAiException.Upstream(ErrorKind.UPSTREAM_ERROR,
                "The connection to Gemini failed (" + e.getClass().getSimpleName() + ").", beforeFirstByte, null, e);
    }

    static PlugAiException.Upstream malformed(String what, boolean beforeFirstByte) {
        return new PlugAiException.Upstream(ErrorKind.UPSTREAM_ERROR, "Gemini sent " + what + ".", beforeFirstByte,
                null, null);
    }

    private static ErrorKind kind(int httpCode, String status, ErrorStatus error) {
        // An invalid key is a 400 INVALID_ARGUMENT whose ErrorInfo says API_KEY_INVALID.
        if (httpCode == 401 || httpCode == 403 || status.equals("UNAUTHENTICATED")
                || status.equals("PERMISSION_DENIED") || hasReason(error, "API_KEY_INVALID")) {
            return ErrorKind.PROVIDER_AUTH;
        }
        if (httpCode == 429 || status.equals("RESOURCE_EXHAUSTED")) {
            return ErrorKind.RATE_LIMITED;
        }
        if (httpCode == 504 || status.equals("DEADLINE_EXCEEDED")) {
            return ErrorKind.UPSTREAM_TIMEOUT;
        }
        // INVALID_ARGUMENT, FAILED_PRECONDITION, NOT_FOUND, ...: the request, not the provider, is at fault.
        return httpCode >= 400 && httpCode < 500 ? ErrorKind.PROVIDER_REJECTED : ErrorKind.UPSTREAM_ERROR;
    }

    private static boolean hasReason(ErrorStatus error, String reason) {
        return details(error).stream().anyMatch(detail -> reason.equals(detail.path("reason").asText()));
    }

    /** The {@code Retry-After} header, else the {@code google.rpc.RetryInfo} detail's {@code retryDelay} ("37s"). */
    private static Duration retryAfter(Headers headers, ErrorStatus error) {
        String header = headers == null ? null : headers.get("Retry-After");
        if (header != null && header.strip().matches("\\d{1,6}")) {
            return Duration.ofSeconds(Long.parseLong(header.strip()));
        }
        for (JsonNode detail : details(error)) {
            if (detail.path("@type").asText().endsWith("google.rpc.RetryInfo")) {
                Matcher delay = RETRY_DELAY.matcher(detail.path("retryDelay").asText());
                if (delay.matches()) {
                    return Duration.ofMillis(Math.round(Double.parseDouble(delay.group(1)) * 1000));
                }
            }
        }
        return null;
    }

    private static List<JsonNode> details(ErrorStatus error) {
        return error == null || error.details() == null ? List.of() : error.details();
    }

    private static ErrorStatus parse(String body) {
        try {
            ErrorBody parsed = GeminiWire.JSON.readValue(body, ErrorBody.class);
            return parsed == null ? null : parsed.error();
        } catch (IOException | RuntimeException e) {
            // Not Google's envelope (a proxy's HTML page, say): the status code alone has to do.
            return null;
        }
    }
}
