package dev.plugai.core.backends;

import java.util.Optional;

/**
 * A local model held in memory by a runner. It offers the capabilities it has (text generation and/or
 * embeddings) and frees its native memory on {@link #close()}.
 */
public interface LoadedModel extends AutoCloseable {

    Optional<TextGenerator> textGenerator();

    Optional<Embedder> embedder();

    /** Estimated resident memory in bytes (weights plus context caches). */
    long memoryBytes();

    /** Frees the model; idempotent. Calls in progress must have ended first. */
    @Override
    void close();
}
