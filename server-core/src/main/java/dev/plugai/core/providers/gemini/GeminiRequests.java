package dev.plugai.core.providers.gemini;

import dev.plugai.core.backends.ChatMessage;
import dev.plugai.core.backends.ImageInput;
import dev.plugai.core.backends.SamplingParameters;
import dev.plugai.core.backends.TextRequest;
import dev.plugai.core.errors.PlugAiException;
import dev.plugai.core.providers.gemini.GeminiWire.Content;
import dev.plugai.core.providers.gemini.GeminiWire.GenerateContentRequest;
import dev.plugai.core.providers.gemini.GeminiWire.GenerationConfig;
import dev.plugai.core.providers.gemini.GeminiWire.Part;

import java.util.ArrayList;
import java.util.List;

/** Translates PlugAI's {@link TextRequest} into Gemini's {@code GenerateContentRequest}. */
final class GeminiRequests {

    private GeminiRequests() {
    }

    /**
     * The request body; refuses what Gemini cannot honour before anything is sent, so the caller learns which
     * parameter to drop instead of silently getting different sampling.
     */
    static GenerateContentRequest body(TextRequest request) {
        GenerationConfig config = generationConfig(request.parameters());
        if (request.prompt().isPresent()) {
            return new GenerateContentRequest(List.of(Content.text("user", request.prompt().get())), null, config);
        }
        List<Part> system = new ArrayList<>();
        List<Content> contents = new ArrayList<>();
        for (ChatMessage message : request.messages()) {
            switch (message.role()) {
                // Gemini has no system turn inside the conversation: every system message joins the instruction.
                case "system" -> system.add(Part.text(message.content()));
                case "assistant" -> contents.add(Content.text("model", message.content()));
                default -> contents.add(userTurn(message));
            }
        }
        if (contents.isEmpty()) {
            throw new PlugAiException.InvalidRequest("Gemini needs at least one user or assistant message.");
        }
        return new GenerateContentRequest(contents, system.isEmpty() ? null : new Content(null, system), config);
    }

    /** The text first, then each image as an inline part, as Google's vision examples order them. */
    private static Content userTurn(ChatMessage message) {
        if (message.images().isEmpty()) {
            return Content.text("user", message.content());
        }
        List<Part> parts = new ArrayList<>();
        parts.add(Part.text(message.content()));
        for (ImageInput image : message.images()) {
            parts.add(Part.image(image.mediaType(), image.base64()));
        }
        return new Content("user", parts);
    }

    private static GenerationConfig generationConfig(SamplingParameters parameters) {
        if (parameters.minP() != null) {
            throw unsupported("min_p");
        }
        if (parameters.repeatPenalty() != null) {
            throw unsupported("repeat_penalty");
        }
        Integer seed = null;
        if (parameters.seed() != null) {
            if (parameters.seed() < Integer.MIN_VALUE || parameters.seed() > Integer.MAX_VALUE) {
                throw new PlugAiException.InvalidRequest("Gemini takes a seed that fits in 32 bits.");
            }
            seed = parameters.seed().intValue();
        }
        List<String> stop = parameters.stop().isEmpty() ? null : parameters.stop();
        GenerationConfig config = new GenerationConfig(parameters.temperature(), parameters.topP(), parameters.topK(),
                parameters.maxTokens(), stop, seed);
        return config.equals(new GenerationConfig(null, null, null, null, null, null)) ? null : config;
    }

    private static PlugAiException.InvalidRequest unsupported(String parameter) {
        return new PlugAiException.InvalidRequest("Gemini does not support the parameter " + parameter + ".");
    }
}
