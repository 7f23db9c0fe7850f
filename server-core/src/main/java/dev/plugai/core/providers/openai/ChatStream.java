package dev.plugai.core.providers.openai;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.plugai.core.backends.Cancellation;
import dev.plugai.core.backends.GenerationResult;
import dev.plugai.core.backends.GenerationResult.FinishReason;
import dev.plugai.core.backends.GenerationResult.Timings;
import dev.plugai.core.backends.GenerationResult.Usage;
import dev.plugai.core.backends.TokenSink;
import dev.plugai.core.errors.ErrorKind;
import dev.plugai.core.errors.PlugAiException;
import okhttp3.Call;
import okhttp3.Response;
import okhttp3.sse.EventSource;
import okhttp3.sse.EventSourceListener;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;

/**
 * Reads one streamed chat completion: {@code data: {chunk}} events with {@code choices[0].delta.content}
 * and {@code finish_reason}, a last chunk with empty {@code choices} and the {@code usage}, then
 * {@code data: [DONE]}. Used by one call on one thread; not thread-safe.
 *
 * <p>A failure after output began is thrown with {@code beforeFirstByte=false}; the partial text is
 * exactly what the {@link TokenSink} received before the exception.
 */
final class ChatStream extends EventSourceListener {

    private final OpenAiTransport transport;
    private final TokenSink sink;
    private final Cancellation cancellation;
    private final Instant start;

    private final StringBuilder text = new StringBuilder();
    private Call call;
    private Instant firstTokenAt;
    private int contentChunks;
    private FinishReason finishReason;
    private Usage usage;
    private boolean done;
    private boolean cancelled;
    private PlugAiException.Upstream failure;
    private RuntimeException unexpected;

    ChatStream(OpenAiTransport transport, TokenSink sink, Cancellation cancellation, Instant start) {
        this.transport = transport;
        this.sink = sink;
        this.cancellation = cancellation;
        this.start = start;
    }

    void attach(Call call) {
        this.call = call;
    }

    @Override
    public void onEvent(EventSource source, String id, String type, String data) {
        if (stopIfCancelled(source)) {
            return;
        }
        if ("[DONE]".equals(data.strip())) {
            done = true;
            return;
        }
        JsonNode chunk;
        try {
            chunk = OpenAiTransport.JSON.readTree(data);
        } catch (JsonProcessingException e) {
            abort(source, transport.malformed("a stream chunk is not valid JSON", firstTokenAt == null));
            return;
        }
        if (chunk == null || !chunk.isObject()) {
            abort(source, transport.malformed("a stream chunk is not a JSON object", firstTokenAt == null));
            return;
        }
        if (chunk.hasNonNull("error")) {
            abort(source, transport.streamError(chunk.get("error"), firstTokenAt == null));
            return;
        }
        readChoice(chunk.path("choices").path(0));
        JsonNode reported = chunk.get("usage");
        if (reported != null && reported.isObject()) {
            usage = new Usage(reported.path("prompt_tokens").asInt(0), reported.path("completion_tokens").asInt(0));
        }
        stopIfCancelled(source);
    }

    private void readChoice(JsonNode choice) {
        JsonNode content = choice.path("delta").path("content");
        if (content.isTextual() && !content.asText().isEmpty()) {
            if (firstTokenAt == null) {
                firstTokenAt = transport.clock().instant();
            }
            contentChunks++;
            text.append(content.asText());
            sink.onText(content.asText());
        }
        JsonNode finish = choice.path("finish_reason");
        if (finish.isTextual()) {
            // tool_calls, content_filter and others also mean the model's answer ended.
            finishReason = "length".equals(finish.asText()) ? FinishReason.LENGTH : FinishReason.STOP;
        }
    }

    @Override
    public void onFailure(EventSource source, Throwable thrown, Response response) {
        if (cancelled || failure != null) {
            return; // our own cancel ends the reader with an IOException("canceled")
        }
        if (thrown instanceof IOException io) {
            failure = transport.ioFailure(io, firstTokenAt == null);
        } else if (thrown instanceof IllegalStateException && contentChunks == 0
                && String.valueOf(thrown.getMessage()).startsWith("Invalid content-type")) {
            failure = transport.malformed("the answer is not an event stream", true);
        } else if (thrown instanceof RuntimeException runtime) {
            unexpected = runtime; // e.g. the sink failed: not the upstream's fault, so not relabelled
        } else if (thrown != null) {
            failure = new PlugAiException.Upstream(ErrorKind.UPSTREAM_ERROR, "Reading the stream from provider '"
                    + transport.providerId() + "' failed.", firstTokenAt == null, null, thrown);
        }
    }

    /** The collected generation, or the failure that ended it. */
    GenerationResult result() {
        if (unexpected != null) {
            throw unexpected;
        }
        if (cancelled || (failure == null && cancellation.isCancelled())) {
            return finish(FinishReason.CANCELLED);
        }
        if (failure != null) {
            throw failure;
        }
        if (finishReason == null && !done) {
            throw new PlugAiException.Upstream(ErrorKind.UPSTREAM_ERROR, "Provider '" + transport.providerId()
                    + "' ended the stream before the answer finished.", firstTokenAt == null, null, null);
        }
        return finish(finishReason == null ? FinishReason.STOP : finishReason);
    }

    private GenerationResult finish(FinishReason reason) {
        Instant end = transport.clock().instant();
        // Without a usage chunk (an upstream that ignores stream_options) chunks approximate tokens.
        Usage counted = usage != null ? usage : new Usage(0, contentChunks);
        Duration total = Duration.between(start, end);
        Duration toFirst = firstTokenAt == null ? total : Duration.between(start, firstTokenAt);
        Duration decoding = firstTokenAt == null ? Duration.ZERO : Duration.between(firstTokenAt, end);
        double perSecond = decoding.isZero() ? 0 : counted.completionTokens() / (decoding.toNanos() / 1e9);
        return new GenerationResult(text.toString(), reason, counted, new Timings(toFirst, total, perSecond));
    }

    private boolean stopIfCancelled(EventSource source) {
        if (!cancellation.isCancelled()) {
            return false;
        }
        cancelled = true;
        source.cancel();
        if (call != null) {
            call.cancel(); // closes the socket: the upstream sees the client go and stops generating
        }
        return true;
    }

    private void abort(EventSource source, PlugAiException.Upstream reason) {
        failure = reason;
        source.cancel();
        if (call != null) {
            call.cancel();
        }
    }
}
