package dev.plugai.core.providers.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import dev.plugai.core.backends.Embedder.Embeddings;
import dev.plugai.core.providers.RemoteModel;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;

import static dev.plugai.core.providers.gemini.GeminiServer.API_KEY;
import static dev.plugai.core.providers.gemini.GeminiServer.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class GeminiModelsAndEmbeddingsTest {

    private GeminiServer gemini;

    @BeforeEach
    void start() throws IOException {
        gemini = new GeminiServer();
    }

    @AfterEach
    void stop() {
        gemini.close();
    }

    @Test
    void modelListingFollowsPagesStripsThePrefixAndReadsCapabilities() throws Exception {
        gemini.server.enqueue(json(200, """
                {"models": [{"name": "models/gemini-2.0-flash", "version": "2.0", "displayName": "Gemini 2.0 Flash",
                  "description": "Gemini 2.0 Flash", "inputTokenLimit": 1048576, "outputTokenLimit": 8192,
                  "supportedGenerationMethods": ["generateContent", "countTokens", "createCachedContent"],
                  "temperature": 1, "topP": 0.95, "topK": 40, "maxTemperature": 2}],
                 "nextPageToken": "Ch5tb2RlbHMvZ2VtaW5pLTIuMC1mbGFzaA=="}"""));
        gemini.server.enqueue(json(200, """
                {"models": [{"name": "models/gemini-embedding-001", "version": "001",
                  "displayName": "Gemini Embedding 001", "inputTokenLimit": 2048, "outputTokenLimit": 1,
                  "supportedGenerationMethods": ["embedContent", "countTextTokens", "countTokens"]}]}"""));

        List<RemoteModel> models = gemini.adapter.listModels();

        assertThat(models).containsExactly(
                new RemoteModel("gemini-2.0-flash", "Gemini 2.0 Flash", OptionalInt.of(1048576),
                        Set.of("chat", "vision")),
                new RemoteModel("gemini-embedding-001", "Gemini Embedding 001", OptionalInt.of(2048),
                        Set.of("embeddings")));
        RecordedRequest first = gemini.take();
        assertThat(first.getMethod()).isEqualTo("GET");
        assertThat(first.getUrl().encodedPath()).isEqualTo("/v1beta/models");
        assertThat(first.getHeaders().get("x-goog-api-key")).isEqualTo(API_KEY);
        assertThat(first.getRequestLine()).doesNotContain(API_KEY);
        assertThat(gemini.take().getUrl().queryParameter("pageToken")).isEqualTo("Ch5tb2RlbHMvZ2VtaW5pLTIuMC1mbGFzaA==");
    }

    @Test
    void embeddingsComeFromBatchEmbedContentsInInputOrderAndCanBeNormalised() throws Exception {
        gemini.server.enqueue(json(200, """
                {"embeddings": [{"values": [3.0, 4.0, 0.0]}, {"values": [0.0, 0.0, 2.0]}]}"""));

        Embeddings embeddings = gemini.adapter.embedder("models/gemini-embedding-001").orElseThrow()
                .embed(List.of("What is the meaning of life?", "How much wood?"), true);

        assertThat(embeddings.dimensions()).isEqualTo(3);
        assertThat(embeddings.vectors()).hasSize(2);
        assertThat(embeddings.vectors().get(0)).containsExactly(new float[]{0.6f, 0.8f, 0f}, within(1e-6f));
        assertThat(embeddings.vectors().get(1)).containsExactly(new float[]{0f, 0f, 1f}, within(1e-6f));
        RecordedRequest recorded = gemini.take();
        assertThat(recorded.getUrl().encodedPath())
                .isEqualTo("/v1beta/models/gemini-embedding-001:batchEmbedContents");
        assertThat(recorded.getHeaders().get("x-goog-api-key")).isEqualTo(API_KEY);
        JsonNode requests = GeminiServer.body(recorded).get("requests");
        assertThat(requests).hasSize(2);
        assertThat(requests.get(0).get("model").asText()).isEqualTo("models/gemini-embedding-001");
        assertThat(requests.get(1).at("/content/parts/0/text").asText()).isEqualTo("How much wood?");
    }

    @Test
    void moreInputsThanOneBatchAreSplitAcrossCalls() {
        String hundred = "{\"embeddings\": [" + String.join(",",
                java.util.Collections.nCopies(GeminiEmbedder.MAX_BATCH, "{\"values\": [1.0, 2.0]}")) + "]}";
        gemini.server.enqueue(json(200, hundred));
        gemini.server.enqueue(json(200, "{\"embeddings\": [{\"values\": [5.0, 6.0]}]}"));
        List<String> inputs = java.util.stream.IntStream.rangeClosed(0, GeminiEmbedder.MAX_BATCH)
                .mapToObj(i -> "text " + i).toList();

        Embeddings embeddings = gemini.adapter.embedder("gemini-embedding-001").orElseThrow().embed(inputs, false);

        assertThat(embeddings.vectors()).hasSize(GeminiEmbedder.MAX_BATCH + 1);
        assertThat(embeddings.vectors().getLast()).containsExactly(5f, 6f);
        assertThat(gemini.server.getRequestCount()).isEqualTo(2);
    }
}
