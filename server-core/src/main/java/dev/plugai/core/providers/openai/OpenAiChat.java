package dev.plugai.core.providers.openai;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plugai.core.backends.Cancellation;
import dev.plugai.core.backends.ChatMessage;
import dev.plugai.core.backends.GenerationResult;
import dev.plugai.core.backends.ImageInput;
import dev.plugai.core.backends.SamplingParameters;
import dev.plugai.core.backends.TextGenerator;
import dev.plugai.core.backends.TextRequest;
import dev.plugai.core.backends.TokenSink;
import dev.plugai.core.errors.PlugAiException;
import okhttp3.Call;
import okhttp3.Response;
import okhttp3.sse.EventSources;

import java.io.IOException;
import java.time.Instant;

/**
 * Text generation through {@code POST {base}/chat/completions}, always streamed and collected. Stateless
 * between calls, so one instance serves concurrent calls.
 *
 * <p>Cancellation is polled before the request and between chunks; when set, the OkHttp call is cancelled
 * (which closes the socket, so the upstream stops generating) and the result is CANCELLED with the text so
 * far. A cancellation while the upstream is silent is noticed at its next chunk or at the read timeout.
 */
final class OpenAiChat implements TextGenerator {

    private final OpenAiTransport transport;
    private final String model;
    private final boolean maxCompletionTokens;

    /**
     * @param maxCompletionTokens send the token limit as {@code max_completion_tokens} (OpenAI's current
     *                            name, the only one its reasoning models accept) instead of {@code max_tokens}
     *                            (the name every OpenAI-compatible server understands)
     */
    OpenAiChat(OpenAiTransport transport, String model, boolean maxCompletionTokens) {
        this.transport = transport;
        this.model = model;
        this.maxCompletionTokens = maxCompletionTokens;
    }

    @Override
    public GenerationResult generate(TextRequest request, TokenSink sink, Cancellation cancellation) {
        ObjectNode body = requestBody(request);
        Instant start = transport.clock().instant();
        ChatStream stream = new ChatStream(transport, sink, cancellation, start);
        if (cancellation.isCancelled()) {
            return stream.result();
        }
        Call call = transport.newCall("chat/completions", body);
        stream.attach(call);
        // A silent upstream (still thinking) must not hold a cancelled job: closing the call wakes the read.
        cancellation.onCancel(call::cancel);
        Response response;
        try {
            response = call.execute();
        } catch (IOException e) {
            if (cancellation.isCancelled()) {
                return stream.result();
            }
            throw transport.ioFailure(e, true);
        }
        try (response) {
            if (!response.isSuccessful()) {
                throw transport.statusFailure(response, true);
            }
            // Synchronous: events arrive on this thread, so the sink sees them in order and in its thread.
            EventSources.processResponse(response, stream);
        }
        return stream.result();
    }

    /** The request in OpenAI's wire format; parameters OpenAI has no field for are refused, never dropped. */
    ObjectNode requestBody(TextRequest request) {
        SamplingParameters parameters = request.parameters();
        refuse(parameters.topK() != null, "top_k");
        refuse(parameters.minP() != null, "min_p");
        refuse(parameters.repeatPenalty() != null, "repeat_penalty");

        ObjectNode body = OpenAiTransport.JSON.createObjectNode();
        body.put("model", model);
        ArrayNode messages = body.putArray("messages");
        if (request.prompt().isPresent()) {
            // Chat Completions has no raw-prompt mode; the prompt becomes the one user turn.
            messages.addObject().put("role", "user").put("content", request.prompt().get());
        } else {
            for (ChatMessage message : request.messages()) {
                ObjectNode turn = messages.addObject().put("role", message.role());
                if (message.images().isEmpty()) {
                    turn.put("content", message.content());
                } else {
                    // Vision input: the content becomes parts, the text first, then each image as a data URL.
                    ArrayNode parts = turn.putArray("content");
                    parts.addObject().put("type", "text").put("text", message.content());
                    for (ImageInput image : message.images()) {
                        parts.addObject().put("type", "image_url").putObject("image_url").put("url", image.dataUrl());
                    }
                }
            }
        }
        if (parameters.temperature() != null) {
            body.put("temperature", parameters.temperature());
        }
        if (parameters.topP() != null) {
            body.put("top_p", parameters.topP());
        }
        if (parameters.maxTokens() != null) {
            body.put(maxCompletionTokens ? "max_completion_tokens" : "max_tokens", parameters.maxTokens());
        }
        if (parameters.seed() != null) {
            body.put("seed", parameters.seed());
        }
        if (!parameters.stop().isEmpty()) {
            ArrayNode stop = body.putArray("stop");
            parameters.stop().forEach(stop::add);
        }
        body.put("stream", true);
        body.putObject("stream_options").put("include_usage", true);
        return body;
    }

    private void refuse(boolean given, String parameter) {
        if (given) {
            throw new PlugAiException.InvalidRequest("The parameter " + parameter + " is not supported by provider '"
                    + transport.providerId() + "' (OpenAI Chat Completions has no such field).");
        }
    }
}
