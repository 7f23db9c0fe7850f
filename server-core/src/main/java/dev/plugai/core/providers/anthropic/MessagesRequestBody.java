package dev.plugai.core.providers.anthropic;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plugai.core.backends.ChatMessage;
import dev.plugai.core.backends.ImageInput;
import dev.plugai.core.backends.SamplingParameters;
import dev.plugai.core.backends.TextRequest;
import dev.plugai.core.errors.PlugAiException;
import dev.plugai.core.json.JsonMappers;

import java.util.ArrayList;
import java.util.List;

/**
 * Maps a {@link TextRequest} to the JSON body of {@code POST /v1/messages} with {@code stream: true}.
 * Stateless and thread-safe.
 *
 * <p>Anthropic's wire shape differs from the unified request in three ways this class bridges:
 * system prompts are a top-level {@code system} string rather than messages (several are joined with a
 * blank line); {@code messages} must alternate user/assistant, so consecutive turns of one role are
 * merged into one turn, their texts joined with a blank line (and their images kept), rather than refused;
 * and {@code max_tokens} is required, so {@link #DEFAULT_MAX_TOKENS} stands in when the caller left it to the
 * model. Images become base64 {@code image} blocks.
 */
final class MessagesRequestBody {

    /** Sent when the caller sets no limit: Anthropic requires one and 1024 is the figure its own docs use. */
    static final int DEFAULT_MAX_TOKENS = 1024;

    private static final ObjectMapper JSON = JsonMappers.create();
    private static final String PARAGRAPH = "\n\n";

    private MessagesRequestBody() {
    }

    /** The request body, or {@link PlugAiException.InvalidRequest} when Anthropic cannot honour the request. */
    static String json(String model, TextRequest request) {
        SamplingParameters parameters = request.parameters();
        refuseUnsupported(parameters);

        List<String> system = new ArrayList<>();
        List<ChatMessage> turns = new ArrayList<>();
        if (request.prompt().isPresent()) {
            turns.add(new ChatMessage("user", request.prompt().get()));
        }
        for (ChatMessage message : request.messages()) {
            if (message.role().equals("system")) {
                system.add(message.content());
            } else {
                turns.add(message);
            }
        }
        if (turns.isEmpty()) {
            throw new PlugAiException.InvalidRequest("Anthropic needs at least one user or assistant message.");
        }

        ObjectNode body = JSON.createObjectNode();
        body.put("model", model);
        if (!system.isEmpty()) {
            body.put("system", String.join(PARAGRAPH, system));
        }
        ArrayNode messages = body.putArray("messages");
        for (ChatMessage turn : alternating(turns)) {
            ObjectNode message = messages.addObject().put("role", turn.role());
            if (turn.images().isEmpty()) {
                message.put("content", turn.content());
            } else {
                // Vision input: content blocks, the images first (as Anthropic's docs advise), then the text.
                ArrayNode blocks = message.putArray("content");
                for (ImageInput image : turn.images()) {
                    blocks.addObject().put("type", "image").putObject("source").put("type", "base64")
                            .put("media_type", image.mediaType()).put("data", image.base64());
                }
                blocks.addObject().put("type", "text").put("text", turn.content());
            }
        }
        body.put("max_tokens", parameters.maxTokens() == null ? DEFAULT_MAX_TOKENS : parameters.maxTokens());
        if (parameters.temperature() != null) {
            body.put("temperature", parameters.temperature());
        }
        if (parameters.topP() != null) {
            body.put("top_p", parameters.topP());
        }
        if (parameters.topK() != null) {
            body.put("top_k", parameters.topK());
        }
        if (!parameters.stop().isEmpty()) {
            ArrayNode stops = body.putArray("stop_sequences");
            parameters.stop().forEach(stops::add);
        }
        body.put("stream", true);
        return body.toString();
    }

    /* Silently dropping a parameter would give the caller different sampling than asked for. */
    private static void refuseUnsupported(SamplingParameters parameters) {
        List<String> unsupported = new ArrayList<>();
        if (parameters.minP() != null) {
            unsupported.add("min_p");
        }
        if (parameters.seed() != null) {
            unsupported.add("seed");
        }
        if (parameters.repeatPenalty() != null) {
            unsupported.add("repeat_penalty");
        }
        if (!unsupported.isEmpty()) {
            throw new PlugAiException.InvalidRequest(
                    "Anthropic does not support the parameter(s) " + String.join(", ", unsupported) + ".");
        }
    }

    private static List<ChatMessage> alternating(List<ChatMessage> turns) {
        List<ChatMessage> merged = new ArrayList<>();
        for (ChatMessage turn : turns) {
            int last = merged.size() - 1;
            if (last >= 0 && merged.get(last).role().equals(turn.role())) {
                ChatMessage previous = merged.get(last);
                merged.set(last, new ChatMessage(turn.role(), previous.content() + PARAGRAPH + turn.content(),
                        previous.images()).withImages(turn.images()));
            } else {
                merged.add(turn);
            }
        }
        return merged;
    }
}
