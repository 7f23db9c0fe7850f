package dev.plugai.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.plugai.core.identity.Role;
import dev.plugai.core.identity.Scope;
import dev.plugai.core.identity.User;
import dev.plugai.core.models.gguf.testing.TinyLlamaGguf;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.Headers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A remote OpenAI-compatible provider (MockWebServer speaking the Chat Completions wire format) beside a
 * local model: same request, same answer schema, same stream events; credentials resolved per caller.
 */
class ProvidersHttpTest {

    static final String OPERATOR_KEY = "sk-operator-0123456789abcdef";
    static final String ADA_KEY = "sk-ada-fedcba9876543210";

    @TempDir
    static Path dataDir;

    static MockWebServer upstream;
    static MockWebServer anthropic;
    static MockWebServer gemini;
    static MockWebServer flaky;
    static MockWebServer brittle;
    static TestServer server;
    static String adminToken;
    static String adaToken;
    static String bobToken;

    @BeforeAll
    static void start() throws Exception {
        upstream = new MockWebServer();
        upstream.start();
        anthropic = new MockWebServer();
        anthropic.start();
        gemini = new MockWebServer();
        gemini.start();
        flaky = new MockWebServer();
        flaky.start();
        brittle = new MockWebServer();
        brittle.start();
        TinyLlamaGguf.builder().name("Tiny Local").build()
                .write(Files.createDirectories(dataDir.resolve("models")).resolve("tiny-local.gguf"));
        Files.writeString(dataDir.resolve("config.yaml"), """
                providers:
                  instances:
                    pinned:
                      kind: openai-compatible
                      base-url: http://127.0.0.1:9/v1
                      headers:
                        X-Title: PlugAI
                      models: [only-this]
                """);
        server = TestServer.start(dataDir, Map.of("providers.retry-backoff", "10ms", "providers.cooldown", "2s",
                "providers.read-timeout", "10s"), List.of());
        User root = server.core.identity().users().create("root", "correct horse battery".toCharArray(), Role.ADMIN, null);
        User ada = server.core.identity().users().create("ada", "correct horse battery".toCharArray(), Role.USER, null);
        User bob = server.core.identity().users().create("bob", "correct horse battery".toCharArray(), Role.USER, null);
        adminToken = token(root, Scope.allowedFor(Role.ADMIN));
        adaToken = token(ada, Scope.allowedFor(Role.USER));
        bobToken = token(bob, Scope.allowedFor(Role.USER));
        await().atMost(Duration.ofSeconds(30)).until(() ->
                server.core.modelManager().state("local/tiny-local").phase().name().equals("READY"));

        Api admin = Api.token(server, adminToken);
        String baseUrl = upstream.url("/v1").toString();
        assertThat(admin.put("/v1/admin/providers/mock", "{\"kind\":\"openai-compatible\",\"base_url\":\"" + baseUrl
                + "\"}").statusCode()).isEqualTo(200);
        assertThat(admin.put("/v1/admin/credentials/mock", "{\"secret\":{\"type\":\"api_key\",\"key\":\"" + OPERATOR_KEY
                + "\"},\"shared_with_users\":true}").statusCode()).isEqualTo(200);
        upstream.enqueue(new MockResponse.Builder().addHeader("Content-Type", "application/json")
                .body("{\"object\":\"list\",\"data\":[{\"id\":\"tiny-gpt\",\"object\":\"model\",\"owned_by\":\"mock\"},"
                        + "{\"id\":\"tiny-embed\",\"object\":\"model\",\"owned_by\":\"mock\"}]}")
                .build());
        HttpResponse<String> refreshed = admin.post("/v1/admin/providers/mock/refresh", null);
        assertThat(refreshed.statusCode()).as(refreshed.body()).isEqualTo(200);
        assertThat(upstream.takeRequest(5, TimeUnit.SECONDS).getUrl().encodedPath()).isEqualTo("/v1/models");

        assertThat(admin.put("/v1/admin/providers/claude", "{\"kind\":\"anthropic\",\"base_url\":\""
                + anthropic.url("/v1") + "\"}").statusCode()).isEqualTo(200);
        assertThat(admin.put("/v1/admin/credentials/claude", "{\"secret\":{\"type\":\"api_key\",\"key\":"
                + "\"sk-ant-operator-123456\"},\"shared_with_users\":true}").statusCode()).isEqualTo(200);
        anthropic.enqueue(new MockResponse.Builder().addHeader("Content-Type", "application/json")
                .body("{\"data\":[{\"type\":\"model\",\"id\":\"claude-haiku\",\"display_name\":\"Claude Haiku\","
                        + "\"created_at\":\"2025-01-01T00:00:00Z\"}],\"has_more\":false,\"first_id\":\"claude-haiku\","
                        + "\"last_id\":\"claude-haiku\"}").build());
        assertThat(admin.post("/v1/admin/providers/claude/refresh", null).statusCode()).isEqualTo(200);
        anthropic.takeRequest(5, TimeUnit.SECONDS);

        assertThat(admin.put("/v1/admin/providers/gemini", "{\"kind\":\"gemini\",\"base_url\":\""
                + gemini.url("/v1beta") + "\"}").statusCode()).isEqualTo(200);
        assertThat(admin.put("/v1/admin/credentials/gemini", "{\"secret\":{\"type\":\"api_key\",\"key\":"
                + "\"AIzaOperatorKey0123456789\"},\"shared_with_users\":true}").statusCode()).isEqualTo(200);
        gemini.enqueue(new MockResponse.Builder().addHeader("Content-Type", "application/json")
                .body("{\"models\":[{\"name\":\"models/gemini-2.0-flash\",\"displayName\":\"Gemini 2.0 Flash\","
                        + "\"inputTokenLimit\":1048576,\"outputTokenLimit\":8192,"
                        + "\"supportedGenerationMethods\":[\"generateContent\",\"countTokens\"]}]}").build());
        HttpResponse<String> geminiModels = admin.post("/v1/admin/providers/gemini/refresh", null);
        assertThat(geminiModels.statusCode()).as(geminiModels.body()).isEqualTo(200);
        gemini.takeRequest(5, TimeUnit.SECONDS);

        for (MockWebServer mock : List.of(flaky, brittle)) {
            String id = mock == flaky ? "flaky" : "brittle";
            assertThat(admin.put("/v1/admin/providers/" + id, "{\"kind\":\"openai-compatible\",\"base_url\":\""
                    + mock.url("/v1") + "\"}").statusCode()).isEqualTo(200);
            assertThat(admin.put("/v1/admin/credentials/" + id, "{\"secret\":{\"type\":\"api_key\",\"key\":"
                    + "\"sk-" + id + "-0123456789\"},\"shared_with_users\":true}").statusCode()).isEqualTo(200);
            mock.enqueue(new MockResponse.Builder().addHeader("Content-Type", "application/json")
                    .body("{\"object\":\"list\",\"data\":[{\"id\":\"big\",\"object\":\"model\"}]}").build());
            assertThat(admin.post("/v1/admin/providers/" + id + "/refresh", null).statusCode()).isEqualTo(200);
            mock.takeRequest(5, TimeUnit.SECONDS);
        }
    }

    private static MockResponse failure() {
        return new MockResponse.Builder().code(503).addHeader("Content-Type", "application/json")
                .body("{\"error\":{\"message\":\"overloaded\",\"type\":\"server_error\"}}").build();
    }

    @Test
    void failuresBeforeTheFirstByteAreRetriedThenFallBackToTheNextModel() throws Exception {
        Api admin = Api.token(server, adminToken);
        HttpResponse<String> set = admin.put("/v1/admin/models/flaky/big/fallbacks", "{\"models\":[\"mock/tiny-gpt\"]}");
        assertThat(set.statusCode()).as(set.body()).isEqualTo(200);
        assertThat(admin.put("/v1/admin/models/flaky/big/fallbacks", "{\"models\":[\"mock/nope\"]}").statusCode())
                .isEqualTo(400);

        for (int i = 0; i < 3; i++) {
            flaky.enqueue(failure());
        }
        upstream.enqueue(ChatCompletionsWire.stream("tiny-gpt", "Saved", "!"));
        HttpResponse<String> answer = Api.token(server, bobToken).post("/v1/generate", request("flaky/big", false, "{}"));
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        JsonNode body = Api.json(answer);
        assertThat(body.get("text").asText()).isEqualTo("Saved!");
        assertThat(body.get("fallback").asBoolean()).isTrue();
        assertThat(body.get("model").asText()).isEqualTo("mock/tiny-gpt");
        assertThat(body.get("requested_model").asText()).isEqualTo("flaky/big");
        for (int i = 0; i < 3; i++) {
            assertThat(flaky.takeRequest(5, TimeUnit.SECONDS)).as("attempt " + (i + 1)).isNotNull();
        }
        upstream.takeRequest(5, TimeUnit.SECONDS);

        flaky.enqueue(failure());
        flaky.enqueue(ChatCompletionsWire.stream("tiny-gpt", "Second", " try"));
        try (SseClient stream = SseClient.post(server, bobToken, request("flaky/big", true, "{}"))) {
            List<SseClient.Event> events = stream.finish(Duration.ofSeconds(30));
            assertThat(events).extracting(SseClient.Event::name).doesNotContain("fallback", "error").contains("done");
        }
        flaky.takeRequest(5, TimeUnit.SECONDS);
        flaky.takeRequest(5, TimeUnit.SECONDS);
    }

    @Test
    void aProviderThatKeepsFailingIsPausedThenTriedAgain() throws Exception {
        for (int request = 0; request < 3; request++) {
            for (int attempt = 0; attempt < 3; attempt++) {
                brittle.enqueue(failure());
            }
            HttpResponse<String> failed = Api.token(server, bobToken).post("/v1/generate",
                    request("brittle/big", false, "{}"));
            assertThat(failed.statusCode()).isEqualTo(502);
        }
        int seen = brittle.getRequestCount();

        HttpResponse<String> paused = Api.token(server, bobToken).post("/v1/generate", request("brittle/big", false, "{}"));
        assertThat(paused.statusCode()).isEqualTo(503);
        assertThat(Api.json(paused).get("type").asText()).endsWith("/provider-cooldown");
        assertThat(brittle.getRequestCount()).as("no request reaches a paused provider").isEqualTo(seen);

        brittle.enqueue(ChatCompletionsWire.stream("tiny-gpt", "Back"));
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(250)).until(() ->
                Api.token(server, bobToken).post("/v1/generate", request("brittle/big", false, "{}")).statusCode() == 200);
        assertThat(brittle.getRequestCount()).isEqualTo(seen + 1);
    }

    private static MockResponse geminiStream(String... pieces) {
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < pieces.length; i++) {
            boolean last = i == pieces.length - 1;
            body.append("data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"").append(pieces[i])
                    .append("\"}],\"role\":\"model\"},\"index\":0").append(last ? ",\"finishReason\":\"STOP\"" : "")
                    .append("}],\"usageMetadata\":{\"promptTokenCount\":7,\"candidatesTokenCount\":").append(i + 1)
                    .append(",\"totalTokenCount\":").append(8 + i).append("},\"modelVersion\":\"gemini-2.0-flash\"}\r\n\r\n");
        }
        return new MockResponse.Builder().headers(Headers.of("Content-Type", "text/event-stream")).body(body.toString())
                .build();
    }

    @Test
    void aGeminiModelAnswersWithTheSameSchemaAndTheKeyNeverInTheUrl() throws Exception {
        gemini.enqueue(geminiStream("Hel", "lo"));
        HttpResponse<String> answer = Api.token(server, bobToken).post("/v1/generate",
                request("gemini/gemini-2.0-flash", false, "{\"temperature\":0.5,\"max_tokens\":20,\"seed\":3}"));
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        assertThat(Api.json(answer).get("text").asText()).isEqualTo("Hello");
        assertThat(Api.json(answer).get("usage").get("completion_tokens").asInt()).isEqualTo(2);
        RecordedRequest recorded = gemini.takeRequest(5, TimeUnit.SECONDS);
        assertThat(recorded.getUrl().encodedPath()).isEqualTo("/v1beta/models/gemini-2.0-flash:streamGenerateContent");
        assertThat(recorded.getUrl().toString()).doesNotContain("AIzaOperatorKey");
        assertThat(recorded.getHeaders().get("x-goog-api-key")).isEqualTo("AIzaOperatorKey0123456789");

        HttpResponse<String> local = Api.token(server, bobToken).post("/v1/generate",
                request("local/tiny-local", false, "{\"max_tokens\":5}"));
        assertThat(fieldNames(Api.json(answer))).isEqualTo(fieldNames(Api.json(local)));

        gemini.enqueue(geminiStream("Hi", "!"));
        Set<String> events = new TreeSet<>();
        try (SseClient stream = SseClient.post(server, bobToken, request("gemini/gemini-2.0-flash", true, "{}"))) {
            stream.finish(Duration.ofSeconds(30)).forEach(event -> events.add(event.name()));
        }
        assertThat(events).containsExactly("delta", "done", "started");
        gemini.takeRequest(5, TimeUnit.SECONDS);
    }

    private static MockResponse messagesStream(String... pieces) {
        StringBuilder body = new StringBuilder();
        body.append("event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\","
                + "\"type\":\"message\",\"role\":\"assistant\",\"content\":[],\"model\":\"claude-haiku\","
                + "\"stop_reason\":null,\"stop_sequence\":null,\"usage\":{\"input_tokens\":11,\"output_tokens\":1}}}\n\n");
        body.append("event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,"
                + "\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n");
        body.append("event: ping\ndata: {\"type\":\"ping\"}\n\n");
        for (String piece : pieces) {
            body.append("event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,"
                    + "\"delta\":{\"type\":\"text_delta\",\"text\":\"").append(piece).append("\"}}\n\n");
        }
        body.append("event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n");
        body.append("event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\","
                + "\"stop_sequence\":null},\"usage\":{\"output_tokens\":").append(pieces.length).append("}}\n\n");
        body.append("event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n");
        return new MockResponse.Builder().headers(Headers.of("Content-Type", "text/event-stream")).body(body.toString())
                .build();
    }

    @Test
    void anAnthropicModelAnswersWithTheSameSchemaAndEvents() throws Exception {
        anthropic.enqueue(messagesStream("Hel", "lo"));
        HttpResponse<String> answer = Api.token(server, bobToken).post("/v1/generate",
                request("claude/claude-haiku", false, "{\"temperature\":0.5,\"max_tokens\":20}"));
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        assertThat(Api.json(answer).get("text").asText()).isEqualTo("Hello");
        assertThat(Api.json(answer).get("usage").get("prompt_tokens").asInt()).isEqualTo(11);
        RecordedRequest recorded = anthropic.takeRequest(5, TimeUnit.SECONDS);
        assertThat(recorded.getHeaders().get("x-api-key")).isEqualTo("sk-ant-operator-123456");
        assertThat(Api.tree(recorded.getBody().utf8()).get("model").asText()).isEqualTo("claude-haiku");

        HttpResponse<String> local = Api.token(server, bobToken).post("/v1/generate",
                request("local/tiny-local", false, "{\"max_tokens\":5}"));
        assertThat(fieldNames(Api.json(answer))).isEqualTo(fieldNames(Api.json(local)));

        anthropic.enqueue(messagesStream("Hi"));
        Set<String> events = new TreeSet<>();
        try (SseClient stream = SseClient.post(server, bobToken, request("claude/claude-haiku", true, "{}"))) {
            stream.finish(Duration.ofSeconds(30)).forEach(event -> events.add(event.name()));
        }
        assertThat(events).containsExactly("delta", "done", "started");
        anthropic.takeRequest(5, TimeUnit.SECONDS);

        HttpResponse<String> seed = Api.token(server, bobToken).post("/v1/generate",
                request("claude/claude-haiku", false, "{\"seed\":1}"));
        assertThat(seed.statusCode()).as("anthropic takes no seed").isEqualTo(400);
        assertThat(Api.json(seed).get("detail").asText()).contains("'seed'");
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
        upstream.close();
        anthropic.close();
        gemini.close();
        flaky.close();
        brittle.close();
    }

    private static String token(User user, Set<Scope> scopes) {
        return server.core.identity().tokens().create(user, "t", scopes, Optional.empty(), Optional.empty()).token();
    }

    private static String request(String model, boolean stream, String params) {
        return "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"Say hello\"}],\"stream\":"
                + stream + ",\"params\":" + params + "}";
    }

    private static Set<String> fieldNames(JsonNode node) {
        Set<String> names = new TreeSet<>();
        Iterator<String> fields = node.fieldNames();
        fields.forEachRemaining(names::add);
        return names;
    }

    @Test
    void aProviderFromTheConfigFileIsListedAndOnlyChangedThere() throws Exception {
        Api admin = Api.token(server, adminToken);
        JsonNode pinned = null;
        for (JsonNode provider : Api.json(admin.get("/v1/admin/providers"))) {
            assertThat(provider.get("configured").asBoolean()).as(provider.get("id").asText())
                    .isEqualTo(provider.get("id").asText().equals("pinned"));
            if (provider.get("id").asText().equals("pinned")) {
                pinned = provider;
            }
        }
        assertThat(pinned).isNotNull();
        assertThat(pinned.get("base_url").asText()).isEqualTo("http://127.0.0.1:9/v1");
        assertThat(pinned.get("headers").get("X-Title").asText()).isEqualTo("PlugAI");
        assertThat(pinned.get("allowed_models")).extracting(JsonNode::asText).containsExactly("only-this");

        HttpResponse<String> put = admin.put("/v1/admin/providers/pinned",
                "{\"kind\":\"openai-compatible\",\"base_url\":\"https://elsewhere.example/v1\"}");
        assertThat(put.statusCode()).isEqualTo(409);
        assertThat(put.headers().firstValue("Content-Type")).contains("application/problem+json");
        assertThat(put.body()).contains("config file");
        assertThat(admin.delete("/v1/admin/providers/pinned").statusCode()).isEqualTo(409);
        assertThat(server.core.providers().directory().find("pinned").orElseThrow().endpoint().baseUrl())
                .hasToString("http://127.0.0.1:9/v1");
    }

    @Test
    void anInvalidProviderInTheConfigFileStopsTheStartNamingIt(@TempDir Path otherDataDir) throws Exception {
        Files.writeString(otherDataDir.resolve("config.yaml"), """
                providers:
                  instances:
                    mystery:
                      kind: telepathy
                """);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> TestServer.start(otherDataDir))
                .isInstanceOf(dev.plugai.core.config.ConfigException.class)
                .hasMessageContaining("Provider 'mystery'").hasMessageContaining("telepathy");
    }

    @Test
    void theRemoteModelIsListedAndAnswersWithTheLocalSchemaAndEvents() throws Exception {
        assertThat(Api.json(Api.token(server, bobToken).get("/v1/models?source=mock")))
                .extracting(model -> model.get("id").asText()).containsExactly("mock/tiny-embed", "mock/tiny-gpt");

        upstream.enqueue(ChatCompletionsWire.stream("tiny-gpt", "Hel", "lo", "!"));
        HttpResponse<String> remote = Api.token(server, bobToken).post("/v1/generate",
                request("mock/tiny-gpt", false, "{\"temperature\":0.5,\"max_tokens\":20}"));
        assertThat(remote.statusCode()).as(remote.body()).isEqualTo(200);
        HttpResponse<String> local = Api.token(server, bobToken).post("/v1/generate",
                request("local/tiny-local", false, "{\"temperature\":0.5,\"max_tokens\":20}"));
        assertThat(local.statusCode()).isEqualTo(200);
        JsonNode remoteAnswer = Api.json(remote);
        assertThat(remoteAnswer.get("text").asText()).isEqualTo("Hello!");
        assertThat(remoteAnswer.get("finish_reason").asText()).isEqualTo("stop");
        assertThat(remoteAnswer.get("usage").get("completion_tokens").asInt()).isEqualTo(3);
        assertThat(fieldNames(remoteAnswer)).isEqualTo(fieldNames(Api.json(local)));

        RecordedRequest recorded = upstream.takeRequest(5, TimeUnit.SECONDS);
        assertThat(recorded.getHeaders().get("Authorization")).isEqualTo("Bearer " + OPERATOR_KEY);
        assertThat(recorded.getUrl().toString()).doesNotContain(OPERATOR_KEY);
        JsonNode sent = Api.tree(recorded.getBody().utf8());
        assertThat(sent.get("model").asText()).isEqualTo("tiny-gpt");
        assertThat(sent.get("stream").asBoolean()).isTrue();
        assertThat(sent.get("temperature").asDouble()).isEqualTo(0.5);

        upstream.enqueue(ChatCompletionsWire.stream("tiny-gpt", "Hi", " there"));
        Set<String> remoteEvents = new TreeSet<>();
        try (SseClient stream = SseClient.post(server, bobToken, request("mock/tiny-gpt", true, "{}"))) {
            stream.finish(Duration.ofSeconds(30)).forEach(event -> remoteEvents.add(event.name()));
        }
        Set<String> localEvents = new TreeSet<>();
        try (SseClient stream = SseClient.post(server, bobToken, request("local/tiny-local", true, "{\"max_tokens\":5}"))) {
            stream.finish(Duration.ofSeconds(30)).forEach(event -> localEvents.add(event.name()));
        }
        assertThat(remoteEvents).containsExactly("delta", "done", "started").isEqualTo(localEvents);
        upstream.takeRequest(5, TimeUnit.SECONDS);
    }

    @Test
    void aModelRegisteredByHandSurvivesRefreshesTakesImagesAndCanBeRemoved() throws Exception {
        Api admin = Api.token(server, adminToken);
        String path = "/v1/admin/providers/mock/models/meta-llama/Llama-3.2-11B-Vision-Instruct";
        assertThat(Api.token(server, bobToken).put(path, "{\"capabilities\":[\"chat\"]}").statusCode())
                .isEqualTo(403);
        for (String invalid : List.of("{\"capabilities\":[]}", "{\"capabilities\":[\"telepathy\"]}",
                "{\"capabilities\":[\"vision\"]}", "{}", "{\"capabilities\":[\"chat\"],\"context_length\":0}")) {
            HttpResponse<String> refused = admin.put(path, invalid);
            assertThat(refused.statusCode()).as(invalid).isEqualTo(400);
            assertThat(refused.headers().firstValue("Content-Type")).contains("application/problem+json");
        }
        assertThat(admin.put("/v1/admin/providers/nobody/models/x", "{\"capabilities\":[\"chat\"]}").statusCode())
                .isEqualTo(404);

        HttpResponse<String> registered = admin.put(path,
                "{\"capabilities\":[\"chat\",\"vision\"],\"context_length\":8192,\"display_name\":\"Llama Vision\"}");
        assertThat(registered.statusCode()).as(registered.body()).isEqualTo(200);
        JsonNode model = Api.json(registered);
        assertThat(model.get("id").asText()).isEqualTo("mock/meta-llama/Llama-3.2-11B-Vision-Instruct");
        assertThat(model.get("modalities_in")).extracting(JsonNode::asText).containsExactlyInAnyOrder("text", "image");
        assertThat(model.get("context_length").asInt()).isEqualTo(8192);

        // A refresh whose listing lacks it keeps it; the listed models are untouched.
        upstream.enqueue(new MockResponse.Builder().addHeader("Content-Type", "application/json")
                .body("{\"object\":\"list\",\"data\":[{\"id\":\"tiny-gpt\",\"object\":\"model\"},"
                        + "{\"id\":\"tiny-embed\",\"object\":\"model\"}]}").build());
        assertThat(admin.post("/v1/admin/providers/mock/refresh", null).statusCode()).isEqualTo(200);
        upstream.takeRequest(5, TimeUnit.SECONDS);
        assertThat(Api.json(Api.token(server, bobToken).get("/v1/models?source=mock")))
                .extracting(listed -> listed.get("id").asText() + ":" + listed.get("status").asText())
                .contains("mock/meta-llama/Llama-3.2-11B-Vision-Instruct:available", "mock/tiny-gpt:available");

        upstream.enqueue(ChatCompletionsWire.stream("tiny-gpt", "A cat."));
        HttpResponse<String> answer = Api.token(server, bobToken).post("/v1/generate",
                "{\"model\":\"mock/meta-llama/Llama-3.2-11B-Vision-Instruct\",\"messages\":[{\"role\":\"user\","
                        + "\"content\":\"What is it?\"}],\"attachments\":[{\"data\":\"" + OpenAiJourneyHttpTest.PNG + "\"}]}");
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        JsonNode sent = Api.tree(upstream.takeRequest(5, TimeUnit.SECONDS).getBody().utf8());
        assertThat(sent.get("model").asText()).isEqualTo("meta-llama/Llama-3.2-11B-Vision-Instruct");
        assertThat(sent.at("/messages/0/content/1/image_url/url").asText()).startsWith("data:image/png;base64,");

        assertThat(admin.delete(path).statusCode()).isEqualTo(204);
        assertThat(Api.token(server, bobToken).get("/v1/models/mock/meta-llama/Llama-3.2-11B-Vision-Instruct")
                .statusCode()).isEqualTo(404);
        assertThat(admin.delete(path).statusCode()).isEqualTo(404);
        assertThat(admin.delete("/v1/admin/providers/mock/models/tiny-gpt").statusCode())
                .as("a listed model is not removed this way").isEqualTo(404);
    }

    @Test
    void removingAProviderTakesItsModelsOutOfTheCatalogueAtOnce() throws Exception {
        Api admin = Api.token(server, adminToken);
        assertThat(admin.put("/v1/admin/providers/brief", "{\"kind\":\"openai-compatible\",\"base_url\":\""
                + upstream.url("/v1") + "\"}").statusCode()).isEqualTo(200);
        assertThat(admin.put("/v1/admin/providers/brief/models/short-lived", "{\"capabilities\":[\"chat\"]}")
                .statusCode()).isEqualTo(200);
        Api bob = Api.token(server, bobToken);
        assertThat(bob.get("/v1/models/brief/short-lived").statusCode()).isEqualTo(200);

        assertThat(admin.delete("/v1/admin/providers/brief").statusCode()).isEqualTo(204);

        assertThat(bob.get("/v1/models/brief/short-lived").statusCode()).isEqualTo(404);
        HttpResponse<String> generate = bob.post("/v1/generate", request("brief/short-lived", false, "{}"));
        assertThat(generate.statusCode()).isEqualTo(404);
        assertThat(admin.delete("/v1/admin/providers/brief").statusCode()).isEqualTo(404);
    }

    @Test
    void aProvidersEmbeddingsComeThroughTheSameEndpoint() throws Exception {
        upstream.enqueue(new MockResponse.Builder().addHeader("Content-Type", "application/json").body("""
                {"object":"list","data":[{"object":"embedding","index":0,"embedding":[0.6,0.8,0.0]},
                 {"object":"embedding","index":1,"embedding":[0.0,0.0,2.0]}],
                 "model":"tiny-embed","usage":{"prompt_tokens":6,"total_tokens":6}}""").build());
        HttpResponse<String> response = Api.token(server, bobToken).post("/v1/embeddings",
                "{\"model\":\"mock/tiny-embed\",\"input\":[\"a\",\"b\"]}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode body = Api.json(response);
        assertThat(body.get("dimensions").asInt()).isEqualTo(3);
        assertThat(body.get("data").get(1).get("embedding").get(2).asDouble()).isEqualTo(1.0);
        assertThat(body.get("usage").get("prompt_tokens").asInt()).isEqualTo(6);
        assertThat(upstream.takeRequest(5, TimeUnit.SECONDS).getUrl().encodedPath()).isEqualTo("/v1/embeddings");
    }

    @Test
    void aUsersOwnCredentialComesFirstAndWithoutAnyTheAnswerIs403() throws Exception {
        Api ada = Api.token(server, adaToken);
        assertThat(ada.put("/v1/me/credentials/mock", "{\"secret\":{\"type\":\"api_key\",\"key\":\"" + ADA_KEY + "\"}}")
                .statusCode()).isEqualTo(200);
        upstream.enqueue(ChatCompletionsWire.stream("tiny-gpt", "ok"));
        assertThat(ada.post("/v1/generate", request("mock/tiny-gpt", false, "{}")).statusCode()).isEqualTo(200);
        assertThat(upstream.takeRequest(5, TimeUnit.SECONDS).getHeaders().get("Authorization"))
                .isEqualTo("Bearer " + ADA_KEY);

        Api admin = Api.token(server, adminToken);
        assertThat(admin.put("/v1/admin/credentials/mock", "{\"secret\":{\"type\":\"api_key\",\"key\":\"" + OPERATOR_KEY
                + "\"},\"shared_with_users\":false}").statusCode()).isEqualTo(200);
        try {
            HttpResponse<String> none = Api.token(server, bobToken).post("/v1/generate", request("mock/tiny-gpt", false, "{}"));
            assertThat(none.statusCode()).isEqualTo(403);
            assertThat(Api.json(none).get("type").asText()).endsWith("/no-credential");
            assertThat(Api.json(none).get("detail").asText()).contains("mock");
        } finally {
            admin.put("/v1/admin/credentials/mock", "{\"secret\":{\"type\":\"api_key\",\"key\":\"" + OPERATOR_KEY
                    + "\"},\"shared_with_users\":true}");
        }
    }

    @Test
    void unsupportedParametersAndUpstreamFailuresAreClearProblems() throws Exception {
        Api bob = Api.token(server, bobToken);
        HttpResponse<String> topK = bob.post("/v1/generate", request("mock/tiny-gpt", false, "{\"top_k\":40}"));
        assertThat(topK.statusCode()).isEqualTo(400);
        assertThat(Api.json(topK).get("detail").asText()).contains("'top_k'");

        upstream.enqueue(new MockResponse.Builder().code(401).addHeader("Content-Type", "application/json")
                .body("{\"error\":{\"message\":\"Incorrect API key provided: " + OPERATOR_KEY + "\",\"type\":"
                        + "\"invalid_request_error\",\"code\":\"invalid_api_key\"}}").build());
        HttpResponse<String> auth = bob.post("/v1/generate", request("mock/tiny-gpt", false, "{}"));
        assertThat(auth.statusCode()).isEqualTo(502);
        assertThat(Api.json(auth).get("type").asText()).endsWith("/provider-auth");
        assertThat(auth.body()).doesNotContain(OPERATOR_KEY);

        upstream.enqueue(new MockResponse.Builder().code(429).addHeader("Retry-After", "7")
                .addHeader("Content-Type", "application/json")
                .body("{\"error\":{\"message\":\"Rate limit reached\",\"type\":\"requests\",\"code\":\"rate_limit_exceeded\"}}")
                .build());
        HttpResponse<String> limited = bob.post("/v1/generate", request("mock/tiny-gpt", false, "{}"));
        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(limited.headers().firstValue("Retry-After")).contains("7");

        upstream.enqueue(new MockResponse.Builder().code(400).addHeader("Content-Type", "application/json")
                .body("{\"error\":{\"message\":\"This model's maximum context length is 8192 tokens. However, your "
                        + "messages resulted in 9000 tokens.\",\"type\":\"invalid_request_error\",\"param\":\"messages\","
                        + "\"code\":\"context_length_exceeded\"}}").build());
        HttpResponse<String> rejected = bob.post("/v1/generate", request("mock/tiny-gpt", false, "{}"));
        assertThat(rejected.statusCode()).as("the request's fault: not retried, not a gateway error").isEqualTo(400);
        assertThat(Api.json(rejected).get("type").asText()).endsWith("/provider-rejected");
        assertThat(Api.json(rejected).get("detail").asText()).contains("maximum context length");
        for (int i = 0; i < 3; i++) {
            assertThat(upstream.takeRequest(5, TimeUnit.SECONDS)).isNotNull(); // the 401, the 429, the 400: once each
        }

        for (int attempt = 0; attempt < 3; attempt++) {
            upstream.enqueue(new MockResponse.Builder().code(500).body("oops").build());
        }
        assertThat(bob.post("/v1/generate", request("mock/tiny-gpt", false, "{}")).statusCode())
                .as("a 500 is retried twice, then a 502").isEqualTo(502);
        for (int i = 0; i < 3; i++) {
            assertThat(upstream.takeRequest(5, TimeUnit.SECONDS)).isNotNull();
        }
        assertThat(upstream.takeRequest(200, TimeUnit.MILLISECONDS)).as("no request left unaccounted").isNull();
    }
}
