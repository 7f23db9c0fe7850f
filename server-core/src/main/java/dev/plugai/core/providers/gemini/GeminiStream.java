package dev.plugai.core.providers.gemini;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.plugai.core.backends.Cancellation;
import dev.plugai.core.backends.GenerationResult;
import dev.plugai.core.backends.GenerationResult.FinishReason;
import dev.plugai.core.backends.GenerationResult.Timings;
import dev.plugai.core.backends.GenerationResult.Usage;
import dev.plugai.core.backends.TokenSink;
import dev.plugai.core.providers.gemini.GeminiWire.Candidate;
import dev.plugai.core.providers.gemini.GeminiWire.GenerateContentResponse;
import dev.plugai.core.providers.gemini.GeminiWire.Part;
import dev.plugai.core.providers.gemini.GeminiWire.UsageMetadata;
import okhttp3.Call;
import okhttp3.Response;
import okhttp3.sse.EventSource;
import okhttp3.sse.EventSourceListener;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.UnaryOperator;

/**
 * The state of one streamed answer, fed by okhttp-sse one {@code data:} event at a time. Used by one thread:
 * okhttp-sse calls it on the thread that reads the response.
 */
final class GeminiStream extends EventSourceListener {

    private final TokenSink sink;
    private final Cancellation cancellation;
    private final Clock clock;
    private final UnaryOperator<String> redact;
    private final Instant start;
    private final StringBuilder text = new StringBuilder();
    private Call call;
    private Instant firstOutputAt;
    private String finishReason;
    private UsageMetadata usage;
    private boolean cancelled;
    private RuntimeException ownFailure;
    private Throwable transportFailure;

    GeminiStream(TokenSink sink, Cancellation cancellation, Clock clock, UnaryOperator<String> redact) {
        this.sink = sink;
        this.cancellation = cancellation;
        this.clock = clock;
        this.redact = redact;
        this.start = clock.instant();
    }

    void attach(Call call) {
        this.call = call;
    }

    @Override
    public void onEvent(EventSource source, String id, String type, String data) {
        if (ownFailure != null || cancelled) {
            return;
        }
        try {
            accept(parse(data));
        } catch (RuntimeException e) {
            // Kept and rethrown by the generator: okhttp-sse would otherwise swallow it into onFailure.
            ownFailure = e;
            stop(source);
            return;
        }
        if (cancellation.isCancelled()) {
            cancelled = true;
            stop(source);
        }
    }

    @Override
    public void onFailure(EventSource source, Throwable failure, Response response) {
        if (transportFailure == null && failure != null) {
            transportFailure = failure;
        }
        if (cancellation.isCancelled()) {
            cancelled = true;
        }
    }

    private void accept(GenerateContentResponse chunk) {
        boolean beforeFirstByte = !hasOutput();
        if (chunk.error() != null) {
            int code = chunk.error().code() == null ? 500 : chunk.error().code();
            throw GeminiErrors.fromError(code, null, chunk.error(), beforeFirstByte, redact);
        }
        if (chunk.usageMetadata() != null) {
            usage = chunk.usageMetadata();
        }
        if (chunk.candidates() == null || chunk.candidates().isEmpty()) {
            if (chunk.promptFeedback() != null && chunk.promptFeedback().blockReason() != null) {
                throw GeminiErrors.malformed("no answer: it blocked the prompt ("
                        + chunk.promptFeedback().blockReason() + ")", beforeFirstByte);
            }
            return;
        }
        Candidate candidate = chunk.candidates().getFirst();
        if (candidate.content() != null && candidate.content().parts() != null) {
            for (Part part : candidate.content().parts()) {
                if (part.text() != null && !part.text().isEmpty() && !Boolean.TRUE.equals(part.thought())) {
                    if (firstOutputAt == null) {
                        firstOutputAt = clock.instant();
                    }
                    text.append(part.text());
                    sink.onText(part.text());
                }
            }
        }
        if (candidate.finishReason() != null) {
            finishReason = candidate.finishReason();
        }
    }

    private GenerateContentResponse parse(String data) {
        try {
            GenerateContentResponse chunk = GeminiWire.JSON.readValue(data, GenerateContentResponse.class);
            if (chunk == null) {
                throw GeminiErrors.malformed("an empty stream event", !hasOutput());
            }
            return chunk;
        } catch (JsonProcessingException e) {
            throw GeminiErrors.malformed("a stream event that is not JSON", !hasOutput());
        }
    }

    /** Ends the stream: cancelling the call closes the socket, so Google stops generating too. */
    private void stop(EventSource source) {
        source.cancel();
        if (call != null) {
            call.cancel();
        }
    }

    boolean cancelled() {
        return cancelled || (cancellation.isCancelled() && finishReason == null && ownFailure == null);
    }

    boolean hasOutput() {
        return firstOutputAt != null;
    }

    String finishReason() {
        return finishReason;
    }

    RuntimeException ownFailure() {
        return ownFailure;
    }

    Throwable transportFailure() {
        return transportFailure;
    }

    GenerationResult result(FinishReason reason) {
        Instant end = clock.instant();
        int promptTokens = usage == null ? 0 : orZero(usage.promptTokenCount());
        // Thinking models bill their thoughts as output tokens, so they count as completion.
        int completionTokens = usage == null ? 0
                : orZero(usage.candidatesTokenCount()) + orZero(usage.thoughtsTokenCount());
        Instant first = firstOutputAt == null ? end : firstOutputAt;
        Duration decoding = Duration.between(first, end);
        double tokensPerSecond = decoding.isPositive() ? completionTokens / (decoding.toNanos() / 1e9) : 0;
        return new GenerationResult(text.toString(), reason, new Usage(promptTokens, completionTokens),
                new Timings(Duration.between(start, first), Duration.between(start, end), tokensPerSecond));
    }

    private static int orZero(Integer value) {
        return value == null ? 0 : value;
    }
}
