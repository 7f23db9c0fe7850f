package dev.plugai.core.providers.gemini;

import dev.plugai.core.backends.Embedder;
import dev.plugai.core.errors.PlugAiException;
import dev.plugai.core.providers.gemini.GeminiWire.BatchEmbedRequest;
import dev.plugai.core.providers.gemini.GeminiWire.BatchEmbedResponse;
import dev.plugai.core.providers.gemini.GeminiWire.Content;
import dev.plugai.core.providers.gemini.GeminiWire.ContentEmbedding;
import dev.plugai.core.providers.gemini.GeminiWire.EmbedContentRequest;
import okhttp3.HttpUrl;

import java.util.ArrayList;
import java.util.List;

/**
 * Embeddings with one Gemini model through {@code batchEmbedContents}. Gemini reports no token counts for
 * embeddings, so {@code promptTokens} is 0. Thread-safe.
 */
final class GeminiEmbedder implements Embedder {

    // Google's limit on requests in one batchEmbedContents call.
    static final int MAX_BATCH = 100;

    private final GeminiTransport transport;
    private final String model;

    GeminiEmbedder(GeminiTransport transport, String model) {
        this.transport = transport;
        this.model = model;
    }

    @Override
    public Embeddings embed(List<String> inputs, boolean normalise) {
        if (inputs.isEmpty()) {
            throw new PlugAiException.InvalidRequest("Give at least one input to embed.");
        }
        HttpUrl url = transport.modelUrl(model, ":batchEmbedContents");
        List<float[]> vectors = new ArrayList<>(inputs.size());
        for (int from = 0; from < inputs.size(); from += MAX_BATCH) {
            List<String> batch = inputs.subList(from, Math.min(inputs.size(), from + MAX_BATCH));
            List<EmbedContentRequest> requests = batch.stream()
                    .map(input -> new EmbedContentRequest("models/" + model, Content.text(null, input)))
                    .toList();
            BatchEmbedResponse response = transport.execute(transport.post(url, new BatchEmbedRequest(requests)),
                    BatchEmbedResponse.class);
            vectors.addAll(vectorsOf(response, batch.size()));
        }
        int dimensions = vectors.getFirst().length;
        for (float[] vector : vectors) {
            if (vector.length != dimensions) {
                throw GeminiErrors.malformed("embeddings of different lengths", true);
            }
            if (normalise) {
                normalise(vector);
            }
        }
        return new Embeddings(List.copyOf(vectors), dimensions, 0);
    }

    private static List<float[]> vectorsOf(BatchEmbedResponse response, int expected) {
        List<ContentEmbedding> embeddings = response == null || response.embeddings() == null
                ? List.of() : response.embeddings();
        if (embeddings.size() != expected) {
            throw GeminiErrors.malformed(embeddings.size() + " embeddings for " + expected + " inputs", true);
        }
        List<float[]> vectors = new ArrayList<>(expected);
        for (ContentEmbedding embedding : embeddings) {
            if (embedding == null || embedding.values() == null || embedding.values().length == 0) {
                throw GeminiErrors.malformed("an empty embedding", true);
            }
            vectors.add(embedding.values());
        }
        return vectors;
    }

    private static void normalise(float[] vector) {
        double sumOfSquares = 0;
        for (float value : vector) {
            sumOfSquares += (double) value * value;
        }
        if (sumOfSquares == 0) {
            return;
        }
        double norm = Math.sqrt(sumOfSquares);
        for (int i = 0; i < vector.length; i++) {
            vector[i] = (float) (vector[i] / norm);
        }
    }
}
