package dev.plugai.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.plugai.core.identity.Role;
import dev.plugai.core.identity.User;
import dev.plugai.core.runners.onnx.MiniLmFolder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The real all-MiniLM-L6-v2 ONNX model, found in a models folder and answering {@code /v1/embeddings}. */
class EmbeddingsHttpTest {

    static final String MODEL = "local/all-minilm-l6-v2";

    @TempDir
    static Path dataDir;

    static TestServer server;
    static String token;

    @BeforeAll
    static void start() throws Exception {
        MiniLmFolder.create(Files.createDirectories(dataDir.resolve("models/all-minilm-l6-v2")));
        server = TestServer.start(dataDir, Map.of(), List.of());
        User ada = server.core.identity().users().create("ada", "correct horse battery".toCharArray(), Role.USER, null);
        token = server.core.identity().tokens().create(ada, "t", Set.of(), Optional.empty(), Optional.empty()).token();
        await().until(() -> Api.token(server, token).get("/v1/models/" + MODEL).statusCode() == 200);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static double cosine(JsonNode a, JsonNode b) {
        double dot = 0;
        for (int i = 0; i < a.size(); i++) {
            dot += a.get(i).asDouble() * b.get(i).asDouble();
        }
        return dot;
    }

    @Test
    void theModelIsDiscoveredAsAnEmbeddingModel() {
        JsonNode model = Api.json(Api.token(server, token).get("/v1/models/" + MODEL));
        assertThat(model.get("format").asText()).isEqualTo("onnx");
        assertThat(model.get("capabilities")).extracting(JsonNode::asText).containsExactly("embeddings");
        assertThat(model.get("details").get("dimensions").asInt()).isEqualTo(384);
        assertThat(Api.json(Api.token(server, token).get("/v1/models?modality=embedding"))).hasSize(1);
    }

    @Test
    void vectorsHave384UnitNormDimensionsAndAParaphraseIsCloserThanAnUnrelatedSentence() {
        HttpResponse<String> response = Api.token(server, token).post("/v1/embeddings", "{\"model\":\"" + MODEL
                + "\",\"input\":[\"A man is playing a guitar.\",\"Someone plays the guitar.\",\"The stock market fell today.\"]}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode body = Api.json(response);
        assertThat(body.get("dimensions").asInt()).isEqualTo(384);
        assertThat(body.get("usage").get("prompt_tokens").asInt()).isPositive();
        JsonNode data = body.get("data");
        assertThat(data).hasSize(3);
        for (JsonNode item : data) {
            assertThat(item.get("embedding")).hasSize(384);
            assertThat(Math.sqrt(cosine(item.get("embedding"), item.get("embedding")))).isCloseTo(1.0,
                    org.assertj.core.data.Offset.offset(1e-4));
        }
        double paraphrase = cosine(data.get(0).get("embedding"), data.get(1).get("embedding"));
        double unrelated = cosine(data.get(0).get("embedding"), data.get(2).get("embedding"));
        assertThat(paraphrase).isGreaterThan(unrelated + 0.3);
    }

    @Test
    void aSingleStringIsOneInputAndBadInputIsRefused() {
        JsonNode one = Api.json(Api.token(server, token).post("/v1/embeddings",
                "{\"model\":\"" + MODEL + "\",\"input\":\"hello world\"}"));
        assertThat(one.get("data")).hasSize(1);
        assertThat(Api.token(server, token).post("/v1/embeddings", "{\"model\":\"" + MODEL + "\",\"input\":[]}")
                .statusCode()).isEqualTo(400);
        assertThat(Api.token(server, token).post("/v1/embeddings", "{\"model\":\"" + MODEL + "\",\"input\":42}")
                .statusCode()).isEqualTo(400);
        assertThat(Api.token(server, token).post("/v1/embeddings", "{\"model\":\"local/none\",\"input\":\"x\"}")
                .statusCode()).isEqualTo(404);
        HttpResponse<String> generate = Api.token(server, token).post("/v1/generate",
                "{\"model\":\"" + MODEL + "\",\"prompt\":\"x\"}");
        assertThat(generate.statusCode()).isEqualTo(400);
        assertThat(Api.json(generate).get("detail").asText()).contains("/v1/embeddings");
    }
}
