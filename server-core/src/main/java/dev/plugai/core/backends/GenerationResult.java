package dev.plugai.core.backends;

import java.time.Duration;

/**
 * What a finished generation produced.
 *
 * @param text         the whole output text
 * @param finishReason why it ended
 * @param usage        prompt and completion token counts
 * @param timings      how long it took
 */
public record GenerationResult(String text, FinishReason finishReason, Usage usage, Timings timings) {

    /** Why a generation ended. */
    public enum FinishReason {
        /** The model ended its answer (end-of-generation token) or a stop sequence was produced. */
        STOP,
        /** {@code max_tokens} (or the context) was reached. */
        LENGTH,
        /** The job was cancelled. */
        CANCELLED
    }

    /** Token counts. */
    public record Usage(int promptTokens, int completionTokens) {
        public int totalTokens() {
            return promptTokens + completionTokens;
        }
    }

    /**
     * Timings of one generation.
     *
     * @param timeToFirstToken from the start of the call to the first piece of output
     * @param total            from the start of the call to its end
     * @param tokensPerSecond  completion tokens per second of decoding (after the first token)
     */
    public record Timings(Duration timeToFirstToken, Duration total, double tokensPerSecond) {
    }
}
