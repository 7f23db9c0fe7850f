package dev.plugai.core.providers.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plugai.core.backends.Embedder;

import java.util.List;

/** Embeddings through {@code POST {base}/embeddings}. Stateless, so thread-safe. */
final class OpenAiEmbedder implements Embedder {

    private final OpenAiTransport transport;
    private final String model;

    OpenAiEmbedder(OpenAiTransport transport, String model) {
        this.transport = transport;
        this.model = model;
    }

    @Override
    public Embeddings embed(List<String> inputs, boolean normalise) {
        if (inputs.isEmpty()) {
            throw new IllegalArgumentException("at least one input");
        }
        ObjectNode body = OpenAiTransport.JSON.createObjectNode();
        body.put("model", model);
        ArrayNode input = body.putArray("input");
        inputs.forEach(input::add);
        body.put("encoding_format", "float");

        JsonNode answer = transport.exchangeJson("embeddings", body);
        JsonNode data = answer.path("data");
        if (!data.isArray() || data.size() != inputs.size()) {
            throw transport.malformed("expected " + inputs.size() + " embeddings", true);
        }
        float[][] vectors = new float[inputs.size()][];
        for (JsonNode item : data) {
            // The API documents data[].index; answers are in order, but index is what ties a vector to its input.
            int index = item.path("index").asInt(-1);
            JsonNode embedding = item.path("embedding");
            if (index < 0 || index >= vectors.length || vectors[index] != null || !embedding.isArray()
                    || embedding.isEmpty()) {
                throw transport.malformed("an embedding has no valid index or vector", true);
            }
            vectors[index] = toVector(embedding, normalise);
        }
        int dimensions = vectors[0].length;
        for (float[] vector : vectors) {
            if (vector.length != dimensions) {
                throw transport.malformed("the embeddings differ in length", true);
            }
        }
        return new Embeddings(List.of(vectors), dimensions, answer.path("usage").path("prompt_tokens").asInt(0));
    }

    private float[] toVector(JsonNode embedding, boolean normalise) {
        float[] vector = new float[embedding.size()];
        double squares = 0;
        for (int i = 0; i < vector.length; i++) {
            JsonNode value = embedding.get(i);
            if (!value.isNumber()) {
                throw transport.malformed("an embedding holds a non-number", true);
            }
            vector[i] = (float) value.asDouble();
            squares += (double) vector[i] * vector[i];
        }
        if (normalise && squares > 0) {
            float scale = (float) (1 / Math.sqrt(squares));
            for (int i = 0; i < vector.length; i++) {
                vector[i] *= scale;
            }
        }
        return vector;
    }
}
