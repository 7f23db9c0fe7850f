package dev.plugai.core.providers;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What a model can do, guessed from its name, for listings that do not say (OpenAI's, Ollama's, vLLM's).
 * Stateless.
 *
 * <p>The vision list names the model families that take images in their public documentation; a model it
 * misses is still usable for text, and a request with images to it gets a clear 400 rather than an upstream
 * error.
 */
final class CapabilityGuess {

    private static final Pattern VISION = Pattern.compile(String.join("|",
            "gpt-4o", "gpt-4\\.1", "gpt-4-turbo", "gpt-4-vision", "gpt-4\\.5", "gpt-5", "chatgpt-4o",
            "(^|/)o1(-pro)?($|-20)", "(^|/)o3($|-pro|-20)", "(^|/)o4-mini",
            "claude-3", "claude-(sonnet|opus|haiku)-4", "gemini-(1\\.5|2|3)", "gemma-?3",
            "llava", "bakllava", "moondream", "pixtral", "vision", "(^|[-_.:/])vl($|[-_.:/])", "-vl-", "qwen\\d?(\\.\\d)?-?vl",
            "minicpm-v", "internvl", "llama-?4", "mistral-small-3\\.[12]", "mistral-medium-3", "grok-[24]"));

    private CapabilityGuess() {
    }

    static Set<String> forName(String upstreamId) {
        String name = upstreamId.toLowerCase(Locale.ROOT);
        if (name.contains("embed")) {
            return Set.of("embeddings");
        }
        return VISION.matcher(name).find() ? Set.of("chat", "vision") : Set.of("chat");
    }
}
