package dev.plugai.core.runners.llamacpp;

import de.kherud.llama.LlamaModel;
import dev.plugai.core.backends.Embedder;

import java.util.ArrayList;
import java.util.List;

/** Embeddings from a GGUF embedding model loaded in llama.cpp's embedding mode (pooling as the model declares). */
final class LlamaCppEmbedder implements Embedder {

    private final LlamaModel model;

    LlamaCppEmbedder(LlamaModel model) {
        this.model = model;
    }

    @Override
    public Embeddings embed(List<String> inputs, boolean normalise) {
        if (inputs.isEmpty()) {
            throw new IllegalArgumentException("give at least one input");
        }
        List<float[]> vectors = new ArrayList<>(inputs.size());
        int promptTokens = 0;
        for (String input : inputs) {
            float[] vector = model.embed(input);
            vectors.add(normalise ? unitLength(vector) : vector);
            promptTokens += model.encode(input).length;
        }
        return new Embeddings(List.copyOf(vectors), vectors.getFirst().length, promptTokens);
    }

    private static float[] unitLength(float[] vector) {
        double sum = 0;
        for (float value : vector) {
            sum += value * value;
        }
        if (sum == 0) {
            return vector;
        }
        float scale = (float) (1 / Math.sqrt(sum));
        float[] scaled = new float[vector.length];
        for (int i = 0; i < vector.length; i++) {
            scaled[i] = vector[i] * scale;
        }
        return scaled;
    }
}
