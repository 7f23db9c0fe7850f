package dev.plugai.core.backends;

/**
 * The one seam every text backend plugs into: a loaded local model (llama.cpp, ...) or a remote
 * provider. It streams output through the sink as it is produced, honours cancellation between tokens,
 * and reports usage and timings. Implementations say whether they are thread-safe; the scheduler never
 * runs more concurrent calls on one generator than its parallel slots.
 */
public interface TextGenerator {

    /** Generates until the model stops, a stop sequence, max tokens or cancellation. */
    GenerationResult generate(TextRequest request, TokenSink sink, Cancellation cancellation);
}
