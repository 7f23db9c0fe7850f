package dev.plugai.core.backends;

import java.util.List;

/** The seam for embedding backends: texts in, one vector per text out. */
public interface Embedder {

    /**
     * Embeds each input.
     *
     * @param inputs    the texts, at least one
     * @param normalise scale each vector to unit length
     */
    Embeddings embed(List<String> inputs, boolean normalise);

    /**
     * The vectors of one call.
     *
     * @param vectors      one per input, in input order
     * @param dimensions   the length of each vector
     * @param promptTokens tokens read across all inputs
     */
    record Embeddings(List<float[]> vectors, int dimensions, int promptTokens) {
    }
}
