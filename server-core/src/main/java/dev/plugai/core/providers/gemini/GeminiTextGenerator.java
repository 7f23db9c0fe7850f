package dev.plugai.core.providers.gemini;

import dev.plugai.core.backends.Cancellation;
import dev.plugai.core.backends.GenerationResult;
import dev.plugai.core.backends.GenerationResult.FinishReason;
import dev.plugai.core.backends.TextGenerator;
import dev.plugai.core.backends.TextRequest;
import dev.plugai.core.backends.TokenSink;
import dev.plugai.core.errors.ErrorKind;
import dev.plugai.core.errors.PlugAiException;
import dev.plugai.core.providers.gemini.GeminiWire.GenerateContentRequest;
import okhttp3.Call;
import okhttp3.HttpUrl;
import okhttp3.Response;
import okhttp3.sse.EventSources;

import java.io.IOException;
import java.time.Clock;

/**
 * Text generation with one Gemini model through {@code streamGenerateContent?alt=sse}. Always streams, so the
 * sink sees text as it arrives and cancellation takes effect between chunks. Thread-safe: each call has its
 * own state.
 */
final class GeminiTextGenerator implements TextGenerator {

    private final GeminiTransport transport;
    private final String model;
    private final Clock clock;

    GeminiTextGenerator(GeminiTransport transport, String model, Clock clock) {
        this.transport = transport;
        this.model = model;
        this.clock = clock;
    }

    @Override
    public GenerationResult generate(TextRequest request, TokenSink sink, Cancellation cancellation) {
        GenerateContentRequest body = GeminiRequests.body(request);
        HttpUrl url = transport.modelUrl(model, ":streamGenerateContent").newBuilder()
                .addQueryParameter("alt", "sse").build();
        GeminiStream stream = new GeminiStream(sink, cancellation, clock, transport::redact);
        if (cancellation.isCancelled()) {
            return stream.result(FinishReason.CANCELLED);
        }
        Call call = transport.post(url, body);
        stream.attach(call);
        // A silent upstream (still thinking) must not hold a cancelled job: closing the call wakes the read.
        cancellation.onCancel(call::cancel);
        try (Response response = call.execute()) {
            if (!response.isSuccessful()) {
                throw transport.failure(response, true);
            }
            EventSources.processResponse(response, stream);
        } catch (IOException e) {
            if (stream.cancelled()) {
                return stream.result(FinishReason.CANCELLED);
            }
            throw GeminiErrors.fromIo(e, !stream.hasOutput());
        }
        return finish(stream);
    }

    private GenerationResult finish(GeminiStream stream) {
        if (stream.cancelled()) {
            return stream.result(FinishReason.CANCELLED);
        }
        RuntimeException own = stream.ownFailure();
        if (own != null) {
            throw own;
        }
        Throwable transportFailure = stream.transportFailure();
        if (transportFailure instanceof IOException io) {
            throw GeminiErrors.fromIo(io, !stream.hasOutput());
        }
        if (transportFailure != null) {
            // okhttp-sse reports a wrong content type this way: not an event stream at all.
            throw GeminiErrors.malformed("an answer that is not an event stream", !stream.hasOutput());
        }
        String finishReason = stream.finishReason();
        if (finishReason == null) {
            // Gemini's last chunk always carries a finish reason; a stream that ends without one was cut.
            throw new PlugAiException.Upstream(ErrorKind.UPSTREAM_ERROR,
                    "Gemini's stream ended before the answer was finished.", !stream.hasOutput(), null, null);
        }
        // SAFETY, RECITATION and the other filter reasons end the answer like STOP: FinishReason has no
        // content-filter value, and the text that was streamed has already reached the caller.
        return stream.result("MAX_TOKENS".equals(finishReason) ? FinishReason.LENGTH : FinishReason.STOP);
    }
}
