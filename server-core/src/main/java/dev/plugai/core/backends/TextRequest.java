package dev.plugai.core.backends;

import java.util.List;
import java.util.Optional;

/**
 * A text generation request as a backend receives it: either chat messages (the backend applies the
 * model's chat template) or a raw prompt (sent as is).
 *
 * @param messages   the conversation; empty when {@code prompt} is given
 * @param prompt     a raw prompt, or empty for chat
 * @param parameters sampling parameters
 */
public record TextRequest(List<ChatMessage> messages, Optional<String> prompt, SamplingParameters parameters) {

    public TextRequest {
        messages = List.copyOf(messages);
        if (messages.isEmpty() == prompt.isEmpty()) {
            throw new IllegalArgumentException("give either messages or a prompt");
        }
    }

    public static TextRequest chat(List<ChatMessage> messages, SamplingParameters parameters) {
        return new TextRequest(messages, Optional.empty(), parameters);
    }

    public static TextRequest prompt(String prompt, SamplingParameters parameters) {
        return new TextRequest(List.of(), Optional.of(prompt), parameters);
    }
}
