package dev.plugai.core.providers.anthropic;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.plugai.core.backends.Cancellation;
import dev.plugai.core.backends.GenerationResult.FinishReason;
import dev.plugai.core.backends.TokenSink;
import dev.plugai.core.json.JsonMappers;
import okhttp3.Call;
import okhttp3.Response;
import okhttp3.sse.EventSource;
import okhttp3.sse.EventSourceListener;

import java.time.Clock;
import java.time.Instant;

/**
 * Folds the server-sent events of one streamed Messages API answer into text, usage and a stop reason,
 * passing text on to the sink as it comes. One instance per call, used on the calling thread only.
 *
 * <p>Anything thrown from {@link #onEvent} (an {@code error} event, a malformed event, the sink's own
 * failure) ends the stream: OkHttp's reader hands it back to {@link #onFailure}, where it is kept for the
 * generator to rethrow.
 */
final class MessageStream extends EventSourceListener {

    private static final ObjectMapper JSON = JsonMappers.create();

    private final TokenSink sink;
    private final Cancellation cancellation;
    private final Call call;
    private final Clock clock;
    private final UpstreamErrors errors;

    private final StringBuilder text = new StringBuilder();
    private int promptTokens;
    private int completionTokens;
    private String stopReason;
    private Instant firstTextAt;
    private boolean complete;
    private boolean cancelled;
    private Throwable failure;

    MessageStream(TokenSink sink, Cancellation cancellation, Call call, Clock clock, UpstreamErrors errors) {
        this.sink = sink;
        this.cancellation = cancellation;
        this.call = call;
        this.clock = clock;
        this.errors = errors;
    }

    @Override
    public void onEvent(EventSource source, String id, String type, String data) {
        // Polled per event: Anthropic pings an idle stream, so a cancelled job never waits long. Cancelling
        // the call closes the socket, which is what stops the provider generating (and billing).
        if (cancellation.isCancelled()) {
            cancelled = true;
            source.cancel();
            call.cancel();
            return;
        }
        JsonNode event = parse(data);
        String name = type != null ? type : event.path("type").asText("");
        switch (name) {
            case "message_start" -> {
                JsonNode usage = event.path("message").path("usage");
                // Cached prompt tokens are counted apart from input_tokens; all of them were prompt.
                promptTokens = usage.path("input_tokens").asInt(0)
                        + usage.path("cache_creation_input_tokens").asInt(0)
                        + usage.path("cache_read_input_tokens").asInt(0);
                completionTokens = usage.path("output_tokens").asInt(0);
            }
            case "content_block_delta" -> onDelta(event.path("delta"));
            case "message_delta" -> {
                stopReason = event.path("delta").path("stop_reason").asText(null);
                // output_tokens here is the running total, not an increment.
                completionTokens = event.path("usage").path("output_tokens").asInt(completionTokens);
            }
            case "message_stop" -> complete = true;
            case "error" -> throw errors.fromEvent(event, text.isEmpty());
            // ping, content_block_start/stop, and event types added later: Anthropic's versioning policy
            // asks clients to ignore events they do not know.
            default -> {
            }
        }
    }

    @Override
    public void onFailure(EventSource source, Throwable failure, Response response) {
        this.failure = failure;
    }

    /* Tool input, thinking and citation deltas are not asked for; only text is part of the answer. */
    private void onDelta(JsonNode delta) {
        if (!delta.path("type").asText("").equals("text_delta")) {
            return;
        }
        JsonNode piece = delta.get("text");
        if (piece == null || !piece.isTextual()) {
            throw errors.malformed("a text_delta without text.", text.isEmpty());
        }
        if (piece.asText().isEmpty()) {
            return;
        }
        if (firstTextAt == null) {
            firstTextAt = clock.instant();
        }
        text.append(piece.asText());
        sink.onText(piece.asText());
    }

    private JsonNode parse(String data) {
        try {
            JsonNode event = JSON.readTree(data);
            if (event == null || !event.isObject()) {
                throw errors.malformed("an event whose data is not a JSON object.", text.isEmpty());
            }
            return event;
        } catch (JsonProcessingException unparsable) {
            // Not chained: Jackson's message quotes the data, which is the provider's text.
            throw errors.malformed("an event whose data is not JSON.", text.isEmpty());
        }
    }

    String text() {
        return text.toString();
    }

    int promptTokens() {
        return promptTokens;
    }

    int completionTokens() {
        return completionTokens;
    }

    Instant firstTextAt() {
        return firstTextAt;
    }

    boolean complete() {
        return complete;
    }

    boolean cancelled() {
        return cancelled;
    }

    Throwable failure() {
        return failure;
    }

    /** STOP for end_turn, stop_sequence and the other ways the model itself ends; LENGTH for a limit. */
    FinishReason finishReason() {
        if (stopReason == null) {
            return FinishReason.STOP;
        }
        return switch (stopReason) {
            case "max_tokens", "model_context_window_exceeded" -> FinishReason.LENGTH;
            default -> FinishReason.STOP;
        };
    }
}
