package dev.plugai.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.plugai.core.identity.Role;
import dev.plugai.core.identity.Scope;
import dev.plugai.core.identity.User;
import dev.plugai.core.models.gguf.testing.TinyLlamaGguf;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An OpenAI user's journey end to end, against MockWebServer speaking Chat Completions: the user stores their
 * key, streams from {@code openai/gpt-4o-mini} and switches to a local model by the model string alone; sends
 * images, and gets clear 400s for models that take no images and for attachment URLs that point into the
 * server's own network, before any connection; sees a stream cut mid-way kept and flagged partial; and never
 * sees the key again, even when the provider echoes it.
 */
class OpenAiJourneyHttpTest {

    /** A real 1×1 PNG. */
    static final String PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";
    static final String KEY = "sk-proj-attachments-0123456789";

    @TempDir
    static Path dataDir;

    static MockWebServer openai;
    /** Serves a real PNG on loopback: the address attachment URLs must never reach. */
    static MockWebServer images;
    static TestServer server;
    static Api ada;
    static String adaToken;

    @BeforeAll
    static void start() throws Exception {
        openai = new MockWebServer();
        openai.start();
        images = new MockWebServer();
        images.start();
        TinyLlamaGguf.builder().name("Tiny Local").build()
                .write(Files.createDirectories(dataDir.resolve("models")).resolve("tiny-local.gguf"));
        Files.writeString(dataDir.resolve("config.yaml"), """
                providers:
                  instances:
                    openai:
                      kind: openai
                      base-url: %s
                """.formatted(openai.url("/v1")));
        server = TestServer.start(dataDir, Map.of("attachments.max-bytes", "4KiB", "providers.retries", "0"),
                List.of());
        User user = server.core.identity().users().create("ada", "correct horse battery".toCharArray(), Role.USER,
                null);
        adaToken = server.core.identity().tokens().create(user, "t", Scope.allowedFor(Role.USER), Optional.empty(),
                Optional.empty()).token();
        ada = Api.token(server, adaToken);
        await().atMost(Duration.ofSeconds(30)).until(() ->
                server.core.modelManager().state("local/tiny-local").phase().name().equals("READY"));

        // The user's own key; the listing is read with it, as a user of a fresh install would.
        assertThat(ada.put("/v1/me/credentials/openai", "{\"secret\":{\"type\":\"api_key\",\"key\":\"" + KEY + "\"}}")
                .statusCode()).isEqualTo(200);
        openai.enqueue(new MockResponse.Builder().addHeader("Content-Type", "application/json").body("""
                {"object":"list","data":[{"id":"gpt-4o-mini","object":"model","created":1721172741,"owned_by":"system"},
                 {"id":"gpt-3.5-turbo","object":"model","created":1677610602,"owned_by":"openai"}]}""").build());
        server.core.providers().refresh("openai", user.id());
        openai.takeRequest(5, TimeUnit.SECONDS);
    }

    @AfterAll
    static void stop() {
        server.close();
        openai.close();
        images.close();
    }

    @BeforeEach
    void nothingLeftOver() throws InterruptedException {
        while (openai.takeRequest(1, TimeUnit.MILLISECONDS) != null) {
            // drained: each test counts its own upstream requests
        }
    }

    @Test
    void anInlineImageReachesOpenAiAsAnImageUrlPartOfTheLastUserMessage() throws Exception {
        JsonNode listed = Api.json(ada.get("/v1/models/openai/gpt-4o-mini"));
        assertThat(listed.get("modalities_in")).extracting(JsonNode::asText).contains("image");
        openai.enqueue(ChatCompletionsWire.stream("gpt-4o-mini", "A ", "dot."));

        HttpResponse<String> answer = ada.post("/v1/generate", """
                {"model":"openai/gpt-4o-mini","messages":[
                  {"role":"user","content":"Remember this one.","attachments":[{"data":"%s"}]},
                  {"role":"assistant","content":"Done."},
                  {"role":"user","content":"What is in the picture?"}],
                 "attachments":[{"data":"data:image/png;base64,%s"}]}""".formatted(PNG, PNG));

        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        assertThat(Api.json(answer).get("text").asText()).isEqualTo("A dot.");
        RecordedRequest recorded = openai.takeRequest(5, TimeUnit.SECONDS);
        assertThat(recorded.getHeaders().get("Authorization")).isEqualTo("Bearer " + KEY);
        JsonNode messages = Api.tree(recorded.getBody().utf8()).get("messages");
        String dataUrl = "data:image/png;base64," + Base64.getEncoder().encodeToString(Base64.getDecoder().decode(PNG));
        assertThat(messages.get(0).get("content").get(1).get("image_url").get("url").asText()).isEqualTo(dataUrl);
        assertThat(messages.get(1).get("content").asText()).isEqualTo("Done.");
        assertThat(messages.get(2).get("content").get(0).get("text").asText()).isEqualTo("What is in the picture?");
        assertThat(messages.get(2).get("content").get(1).get("image_url").get("url").asText()).isEqualTo(dataUrl);
    }

    @Test
    void aUserStreamsFromOpenAiThenSwitchesToTheLocalModelByTheModelStringAlone() throws Exception {
        String request = "{\"model\":\"%s\",\"stream\":true,\"params\":{\"max_tokens\":8},"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"Say hello\"}]}";
        openai.enqueue(ChatCompletionsWire.stream("gpt-4o-mini", "Hel", "lo", "!"));
        List<SseClient.Event> remote;
        try (SseClient stream = SseClient.post(server, adaToken, request.formatted("openai/gpt-4o-mini"))) {
            remote = stream.finish(Duration.ofSeconds(30));
        }
        List<SseClient.Event> local;
        try (SseClient stream = SseClient.post(server, adaToken, request.formatted("local/tiny-local"))) {
            local = stream.finish(Duration.ofSeconds(30));
        }

        assertThat(remote).extracting(SseClient.Event::name).containsExactly("started", "delta", "delta", "delta", "done");
        assertThat(remote.stream().filter(event -> event.name().equals("delta"))
                .map(event -> Api.tree(event.data()).get("text").asText())).containsExactly("Hel", "lo", "!");
        assertThat(local.getFirst().name()).isEqualTo("started");
        assertThat(local.getLast().name()).isEqualTo("done");
        assertThat(local).extracting(SseClient.Event::name).allMatch(name -> List.of("started", "delta", "done")
                .contains(name));
        // The same fields in the same events, whichever model answered.
        assertThat(Api.tree(remote.getLast().data()).properties()).extracting(Map.Entry::getKey)
                .containsExactlyElementsOf(Api.tree(local.getLast().data()).properties().stream()
                        .map(Map.Entry::getKey).toList());
        RecordedRequest sent = openai.takeRequest(5, TimeUnit.SECONDS);
        assertThat(Api.tree(sent.getBody().utf8()).get("max_completion_tokens").asInt()).isEqualTo(8);
    }

    @Test
    void aKeyTheProviderEchoesBackAppearsInNoAnswerAndNoLogLine() throws Exception {
        java.io.ByteArrayOutputStream log = LogCapture.of(org.slf4j.Logger.ROOT_LOGGER_NAME,
                ch.qos.logback.classic.Level.DEBUG);
        openai.enqueue(new MockResponse.Builder().code(401).addHeader("Content-Type", "application/json")
                .body("{\"error\":{\"message\":\"Incorrect API key provided: " + KEY + ". You can find your API "
                        + "key at https://platform.openai.com/account/api-keys.\",\"type\":\"invalid_request_error\","
                        + "\"param\":null,\"code\":\"invalid_api_key\"}}").build());
        openai.enqueue(ChatCompletionsWire.cut("gpt-4o-mini", "Your key is ", KEY.substring(0, 12)));

        HttpResponse<String> refused = ada.post("/v1/generate",
                "{\"model\":\"openai/gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}");
        HttpResponse<String> cut = ada.post("/v1/generate",
                "{\"model\":\"openai/gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}");

        assertThat(refused.statusCode()).isEqualTo(502);
        assertThat(Api.json(refused).get("type").asText()).endsWith("/provider-auth");
        assertThat(refused.body()).doesNotContain(KEY);
        assertThat(cut.statusCode()).isEqualTo(502);
        assertThat(log.toString()).contains("openai").doesNotContain(KEY);
    }

    @Test
    void modelsThatTakeNoImagesAnswer400BeforeAnythingIsSentOrFetched() throws Exception {
        for (String model : List.of("openai/gpt-3.5-turbo", "local/tiny-local")) {
            HttpResponse<String> refused = ada.post("/v1/generate", withAttachment(model,
                    "{\"url\":\"" + images.url("/cat.png") + "\"}"));
            assertThat(refused.statusCode()).as(model).isEqualTo(400);
            assertThat(refused.headers().firstValue("Content-Type")).contains("application/problem+json");
            assertThat(Api.json(refused).get("detail").asText()).contains(model).contains("takes no images");
        }
        assertThat(images.getRequestCount()).isZero();
        assertThat(openai.takeRequest(100, TimeUnit.MILLISECONDS)).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://127.0.0.1:%d/cat.png", "http://localhost:%d/cat.png", "http://[::1]:%d/cat.png",
            "http://2130706433:%d/cat.png", "http://0x7f.1:%d/cat.png", "http://[::ffff:127.0.0.1]:%d/cat.png",
            "http://169.254.169.254/latest/meta-data/", "http://10.0.0.1/cat.png",
            "http://[64:ff9b::a9fe:a9fe]/latest/meta-data/", "file:///etc/passwd"})
    void attachmentUrlsIntoTheServersOwnNetworkAreRefusedBeforeAnyConnection(String template) throws Exception {
        String url = template.contains("%d") ? template.formatted(images.getPort()) : template;
        HttpResponse<String> refused = ada.post("/v1/generate", withAttachment("openai/gpt-4o-mini",
                "{\"url\":\"" + url + "\"}"));

        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);
        assertThat(Api.json(refused).get("detail").asText()).startsWith("Attachment 1:");
        assertThat(images.getRequestCount()).isZero();
        assertThat(openai.takeRequest(100, TimeUnit.MILLISECONDS)).as("nothing goes upstream").isNull();
    }

    @Test
    void inlineDataThatIsNotAnImageOrTooLargeOrAmbiguousIsRefusedNamingTheAttachment() throws Exception {
        String text = Base64.getEncoder().encodeToString("<html>not an image</html>".getBytes());
        String big = Base64.getEncoder().encodeToString(pngOfSize(8 * 1024));
        Map<String, String> cases = Map.of(
                "{\"data\":\"" + text + "\"}", "not an image",
                "{\"data\":\"" + big + "\"}", "too large",
                "{\"data\":\"%%%\"}", "not valid base64",
                "{\"url\":\"https://example.com/a.png\",\"data\":\"" + PNG + "\"}", "exactly one of url and data",
                "{}", "exactly one of url and data");
        for (Map.Entry<String, String> entry : cases.entrySet()) {
            HttpResponse<String> refused = ada.post("/v1/generate", """
                    {"model":"openai/gpt-4o-mini","messages":[{"role":"user","content":"Look"}],
                     "attachments":[{"data":"%s"},%s]}""".formatted(PNG, entry.getKey()));
            assertThat(refused.statusCode()).as(entry.getKey()).isEqualTo(400);
            assertThat(Api.json(refused).get("detail").asText()).as(entry.getKey())
                    .startsWith("Attachment 2:").contains(entry.getValue());
        }
        HttpResponse<String> onAssistant = ada.post("/v1/generate", """
                {"model":"openai/gpt-4o-mini","messages":[
                  {"role":"assistant","content":"Look","attachments":[{"data":"%s"}]}]}""".formatted(PNG));
        assertThat(onAssistant.statusCode()).isEqualTo(400);
        assertThat(Api.json(onAssistant).get("detail").asText()).contains("Only user messages");
        HttpResponse<String> badRoleLater = ada.post("/v1/generate", """
                {"model":"openai/gpt-4o-mini","messages":[
                  {"role":"user","content":"Look","attachments":[{"url":"%s"}]},
                  {"role":"robot","content":"beep"}]}""".formatted(images.url("/cat.png")));
        assertThat(badRoleLater.statusCode()).isEqualTo(400);
        assertThat(Api.json(badRoleLater).get("detail").asText()).contains("'robot'");
        assertThat(images.getRequestCount()).isZero();
        assertThat(openai.takeRequest(100, TimeUnit.MILLISECONDS)).isNull();
    }

    @Test
    void aStreamCutMidwayKeepsThePartialAnswerAndFlagsIt() throws Exception {
        openai.enqueue(ChatCompletionsWire.cut("gpt-4o-mini", "Hel", "lo"));
        HttpResponse<String> json = ada.post("/v1/generate",
                "{\"model\":\"openai/gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}");
        assertThat(json.statusCode()).as(json.body()).isEqualTo(502);
        assertThat(Api.json(json).get("type").asText()).endsWith("/upstream-error");
        assertThat(Api.json(json).get("partial").asBoolean()).isTrue();
        assertThat(Api.json(json).get("partial_text").asText()).isEqualTo("Hello");

        openai.enqueue(ChatCompletionsWire.cut("gpt-4o-mini", "Hel", "lo"));
        List<SseClient.Event> events;
        try (SseClient stream = SseClient.post(server, adaToken,
                "{\"model\":\"openai/gpt-4o-mini\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}")) {
            events = stream.finish(Duration.ofSeconds(30));
        }
        assertThat(events).extracting(SseClient.Event::name).containsExactly("started", "delta", "delta", "error");
        JsonNode error = Api.tree(events.get(3).data());
        assertThat(error.get("partial").asBoolean()).isTrue();
        assertThat(error.has("partial_text")).as("the deltas already carried the text").isFalse();

        openai.enqueue(new MockResponse.Builder().code(500).body("oops").build());
        HttpResponse<String> early = ada.post("/v1/generate",
                "{\"model\":\"openai/gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}");
        assertThat(early.statusCode()).isEqualTo(502);
        assertThat(Api.json(early).has("partial")).as("nothing was produced").isFalse();
    }

    private static String withAttachment(String model, String attachment) {
        return "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"What is this?\"}],"
                + "\"attachments\":[" + attachment + "]}";
    }

    /** PNG magic bytes followed by zeros: an image by its signature, of the given size. */
    private static byte[] pngOfSize(int size) {
        byte[] bytes = new byte[size];
        byte[] png = Base64.getDecoder().decode(PNG);
        System.arraycopy(png, 0, bytes, 0, png.length);
        return bytes;
    }
}
