package dev.plugai.core.providers.anthropic;

import dev.plugai.core.backends.Cancellation;
import dev.plugai.core.backends.GenerationResult;
import dev.plugai.core.backends.GenerationResult.FinishReason;
import dev.plugai.core.backends.TextGenerator;
import dev.plugai.core.backends.TextRequest;
import dev.plugai.core.backends.TokenSink;
import dev.plugai.core.errors.PlugAiException;
import okhttp3.Call;
import okhttp3.MediaType;
import okhttp3.Response;
import okhttp3.sse.EventSources;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Text generation with one Anthropic model through a streamed {@code POST /messages}. Thread-safe: each
 * call has its own HTTP call and {@link MessageStream}.
 */
final class AnthropicTextGenerator implements TextGenerator {

    private final AnthropicHttp http;
    private final String model;
    private final Clock clock;

    AnthropicTextGenerator(AnthropicHttp http, String model, Clock clock) {
        this.http = http;
        this.model = model;
        this.clock = clock;
    }

    @Override
    public GenerationResult generate(TextRequest request, TokenSink sink, Cancellation cancellation) {
        String body = MessagesRequestBody.json(model, request);
        Instant start = clock.instant();
        if (cancellation.isCancelled()) {
            return new GenerationResult("", FinishReason.CANCELLED, new GenerationResult.Usage(0, 0),
                    timings(start, null, 0));
        }
        Call call = http.postMessages(body);
        // A silent upstream (still thinking) must not hold a cancelled job: closing the call wakes the read.
        cancellation.onCancel(call::cancel);
        Response response;
        try {
            response = call.execute();
        } catch (IOException failure) {
            if (cancellation.isCancelled()) {
                return new GenerationResult("", FinishReason.CANCELLED, new GenerationResult.Usage(0, 0),
                        timings(start, null, 0));
            }
            throw http.errors().fromTransport(failure, true);
        }
        try (response) {
            if (!response.isSuccessful()) {
                throw http.errors().fromStatus(response);
            }
            MediaType type = response.body().contentType();
            if (type == null || !type.subtype().equals("event-stream")) {
                throw http.errors().malformed("a " + response.code() + " answer that is not an event stream.", true);
            }
            MessageStream stream = new MessageStream(sink, cancellation, call, clock, http.errors());
            EventSources.processResponse(response, stream);
            return result(stream, cancellation, start);
        }
    }

    private GenerationResult result(MessageStream stream, Cancellation cancellation, Instant start) {
        boolean noText = stream.text().isEmpty();
        if (stream.cancelled() || (cancellation.isCancelled() && !stream.complete())) {
            return finished(stream, FinishReason.CANCELLED, start);
        }
        switch (stream.failure()) {
            case null -> {
            }
            case PlugAiException.Upstream upstream -> throw upstream;
            case IOException io -> throw http.errors().fromTransport(io, noText);
            // The sink's own failure (e.g. the client went away) is the caller's to see, unchanged.
            case RuntimeException sinkOrBug -> throw sinkOrBug;
            case Error error -> throw error;
            default -> throw new IllegalStateException("unexpected stream failure", stream.failure());
        }
        if (!stream.complete()) {
            throw http.errors().malformed("it ended before message_stop.", noText);
        }
        return finished(stream, stream.finishReason(), start);
    }

    private GenerationResult finished(MessageStream stream, FinishReason reason, Instant start) {
        return new GenerationResult(stream.text(), reason,
                new GenerationResult.Usage(stream.promptTokens(), stream.completionTokens()),
                timings(start, stream.firstTextAt(), stream.completionTokens()));
    }

    private GenerationResult.Timings timings(Instant start, Instant firstText, int completionTokens) {
        Instant end = clock.instant();
        Duration total = Duration.between(start, end);
        if (firstText == null) {
            return new GenerationResult.Timings(total, total, 0);
        }
        Duration decoding = Duration.between(firstText, end);
        double perSecond = decoding.isZero() || decoding.isNegative() ? 0
                : completionTokens / (decoding.toNanos() / 1e9);
        return new GenerationResult.Timings(Duration.between(start, firstText), total, perSecond);
    }
}
