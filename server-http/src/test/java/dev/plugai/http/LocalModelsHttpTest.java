package dev.plugai.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.plugai.core.identity.Role;
import dev.plugai.core.identity.User;
import dev.plugai.core.models.gguf.testing.TinyLlamaGguf;
import dev.plugai.core.scheduler.Job;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Local models end to end: real GGUF files (written by the test fixture) found on disk by discovery,
 * loaded by llama.cpp, answering through {@code /v1/generate} as JSON and as server-sent events, under
 * the scheduler's queue, cancellation, pre-loading and fallback.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LocalModelsHttpTest {

    static final String DEFAULT = "local/tiny-default";
    static final String OTHER = "local/tiny-other";
    static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    static Path dataDir;
    @TempDir
    static Path scratch;

    static TestServer server;
    static String adminToken;
    static String userToken;

    @BeforeAll
    static void start() throws IOException {
        Path models = Files.createDirectories(dataDir.resolve("models"));
        TinyLlamaGguf.builder().name("Tiny Default").contextLength(4096).build().write(models.resolve("tiny-default.gguf"));
        TinyLlamaGguf.builder().name("Tiny Other").embeddingLength(96).contextLength(4096).build()
                .write(models.resolve("tiny-other.gguf"));
        server = TestServer.start(dataDir, Map.of("scheduler.queue-size", "2", "scheduler.slots-per-model", "1",
                "models.rescan-interval", "2s"), List.of());
        User root = server.core.identity().users().create("root", "correct horse battery".toCharArray(), Role.ADMIN, null);
        User ada = server.core.identity().users().create("ada", "correct horse battery".toCharArray(), Role.USER, null);
        adminToken = server.core.identity().tokens().create(root, "test", dev.plugai.core.identity.Scope.allowedFor(Role.ADMIN),
                Optional.empty(), Optional.empty()).token();
        userToken = server.core.identity().tokens().create(ada, "test", Set.of(), Optional.empty(), Optional.empty()).token();
        await().atMost(WAIT).until(() -> server.core.modelManager().state(DEFAULT).phase().name().equals("READY"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static Api user() {
        return Api.token(server, userToken);
    }

    private static Api admin() {
        return Api.token(server, adminToken);
    }

    private static String generate(String model, int maxTokens, boolean stream, String extra) {
        return "{\"model\":\"" + model + "\",\"prompt\":\"hello world\",\"stream\":" + stream
                + ",\"params\":{\"max_tokens\":" + maxTokens + ",\"seed\":7,\"temperature\":0.8}" + extra + "}";
    }

    private static List<String> names(List<SseClient.Event> events) {
        return events.stream().map(SseClient.Event::name).toList();
    }

    @Test
    @Order(1)
    void modelsOnDiskAreListedWithFactsAndTheSmallestIsTheDefault() {
        JsonNode models = Api.json(user().get("/v1/models"));
        assertThat(models).extracting(model -> model.get("id").asText()).containsExactly(DEFAULT, OTHER);
        JsonNode tiny = models.get(0);
        assertThat(tiny.get("format").asText()).isEqualTo("gguf");
        assertThat(tiny.get("architecture").asText()).isEqualTo("llama");
        assertThat(tiny.get("context_length").asInt()).isEqualTo(4096);
        assertThat(tiny.get("capabilities")).extracting(JsonNode::asText).contains("chat", "completion");
        assertThat(tiny.get("runtime").get("is_default").asBoolean()).isTrue();
        assertThat(tiny.get("runtime").get("phase").asText()).isEqualTo("ready");

        assertThat(Api.json(user().get("/v1/models?q=other"))).hasSize(1);
        assertThat(Api.json(user().get("/v1/models?modality=embedding"))).isEmpty();
        JsonNode parameters = Api.json(user().get("/v1/models/" + DEFAULT + "/parameters"));
        assertThat(parameters.get("schema").get("properties").has("temperature")).isTrue();
        assertThat(parameters.get("parameters")).anySatisfy(parameter -> {
            assertThat(parameter.get("name").asText()).isEqualTo("max_tokens");
            assertThat(parameter.get("maximum").asInt()).isEqualTo(4096);
            assertThat(parameter.get("guidance").asText()).isNotBlank();
        });
        JsonNode health = Api.json(Api.anonymous(server).get("/v1/health"));
        assertThat(health.get("default_model").get("id").asText()).isEqualTo(DEFAULT);
        assertThat(health.get("default_model").get("phase").asText()).isEqualTo("ready");
    }

    @Test
    @Order(2)
    void streamingAndJsonAnswersAgreeForTheSameSeedAndDeltasArriveAsProduced() throws Exception {
        HttpResponse<String> json = user().post("/v1/generate", generate(DEFAULT, 40, false, ""));
        assertThat(json.statusCode()).as(json.body()).isEqualTo(200);
        JsonNode answer = Api.json(json);
        assertThat(answer.get("model").asText()).isEqualTo(DEFAULT);
        assertThat(answer.get("finish_reason").asText()).isEqualTo("length");
        assertThat(answer.get("usage").get("completion_tokens").asInt()).isEqualTo(40);
        assertThat(answer.get("timings").get("tokens_per_second").asDouble()).isPositive();

        try (SseClient stream = SseClient.post(server, userToken, generate(DEFAULT, 40, true, ""))) {
            List<SseClient.Event> events = stream.finish(WAIT);
            assertThat(stream.status).isEqualTo(200);
            assertThat(names(events)).startsWith("started").endsWith("done").contains("delta");
            StringBuilder text = new StringBuilder();
            events.stream().filter(event -> event.name().equals("delta"))
                    .forEach(event -> text.append(Api.tree(event.data()).get("text").asText()));
            assertThat(text.toString()).isEqualTo(answer.get("text").asText());
            JsonNode done = Api.tree(events.getLast().data());
            assertThat(done.get("usage").get("completion_tokens").asInt()).isEqualTo(40);
            assertThat(done.get("timings").get("time_to_first_token_ms").asLong()).isNotNegative();
        }

        try (SseClient stream = SseClient.post(server, userToken, generate(DEFAULT, 3000, true, ""))) {
            SseClient.Event started = stream.await("started", WAIT);
            SseClient.Event firstDelta = stream.await("delta", WAIT);
            String jobId = Api.tree(started.data()).get("job_id").asText();
            stream.finish(WAIT);
            Job job = server.core.scheduler().find(jobId).orElseThrow();
            assertThat(firstDelta.receivedAt()).as("the first delta arrives before the generation ends")
                    .isBefore(job.finishedAt().orElseThrow());
            assertThat(server.core.usage().forJob(jobId)).singleElement().satisfies(row -> {
                assertThat(row.get("completion_tokens")).isEqualTo(3000);
                assertThat(row.get("outcome")).isEqualTo("length");
                assertThat(row.get("model_id")).isEqualTo(DEFAULT);
            });
        }
    }

    @Test
    @Order(3)
    void metricsShowQueueGenerationAndModelFigures() {
        String metrics = Api.anonymous(server).get("/metrics").body();
        assertThat(metrics).contains("plugai_queue_depth{model=\"" + DEFAULT + "\"}")
                .contains("plugai_queue_wait_seconds_count{model=\"" + DEFAULT + "\"}")
                .contains("plugai_generation_first_token_seconds_count{model=\"" + DEFAULT + "\"}")
                .contains("plugai_generation_tokens_per_second_count{model=\"" + DEFAULT + "\"}")
                .contains("plugai_generations_active")
                .contains("plugai_model_load_seconds_count{model=\"" + DEFAULT + "\",outcome=\"ready\"}")
                .contains("plugai_models_loaded").contains("plugai_models_memory_bytes");
    }

    @Test
    @Order(3)
    void invalidParametersUnknownAndForbiddenModelsAreRefusedClearly() {
        HttpResponse<String> hot = user().post("/v1/generate",
                "{\"model\":\"" + DEFAULT + "\",\"prompt\":\"x\",\"params\":{\"temperature\":5}}");
        assertThat(hot.statusCode()).isEqualTo(400);
        assertThat(Api.json(hot).get("detail").asText()).contains("'temperature'").contains("0.0 to 2.0");

        HttpResponse<String> typo = user().post("/v1/generate",
                "{\"model\":\"" + DEFAULT + "\",\"prompt\":\"x\",\"params\":{\"temprature\":1}}");
        assertThat(typo.statusCode()).isEqualTo(400);
        assertThat(Api.json(typo).get("detail").asText()).contains("Unknown parameter 'temprature'");

        assertThat(user().post("/v1/generate", "{\"model\":\"local/nope\",\"prompt\":\"x\"}").statusCode()).isEqualTo(404);
        assertThat(user().post("/v1/generate", "{\"model\":\"" + DEFAULT + "\"}").statusCode()).isEqualTo(400);

        assertThat(admin().put("/v1/admin/access-rules/" + OTHER, "{}").statusCode()).isEqualTo(200);
        try {
            HttpResponse<String> restricted = user().post("/v1/generate", "{\"model\":\"" + OTHER + "\",\"prompt\":\"x\"}");
            assertThat(restricted.statusCode()).isEqualTo(404);
            assertThat(Api.json(user().get("/v1/models"))).extracting(model -> model.get("id").asText())
                    .doesNotContain(OTHER);
            assertThat(user().get("/v1/models/" + OTHER).statusCode()).isEqualTo(404);
        } finally {
            admin().delete("/v1/admin/access-rules/" + OTHER);
        }
    }

    @Test
    @Order(4)
    void theQueueReportsFallingPositionsRefusesWhenFullAndMovesOnWhenTheRunningJobIsCancelled() throws Exception {
        // Requests go out one after the other, each once the previous one is known to the scheduler.
        try (SseClient first = SseClient.post(server, userToken, generate(DEFAULT, 4000, true, ""))) {
            String firstJob = Api.tree(first.await("started", WAIT).data()).get("job_id").asText();
            try (SseClient second = SseClient.post(server, userToken, generate(DEFAULT, 4000, true, ""))) {
                second.await("queued", WAIT);
                try (SseClient third = SseClient.post(server, userToken, generate(DEFAULT, 4000, true, ""))) {
                    JsonNode thirdPlace = Api.tree(third.await("queued", WAIT).data());
                    assertThat(thirdPlace.get("position").asInt()).isEqualTo(2);
                    assertThat(thirdPlace.get("ahead").asInt()).isEqualTo(2);

                    HttpResponse<String> full = user().post("/v1/generate", generate(DEFAULT, 10, false, ""));
                    assertThat(full.statusCode()).isEqualTo(503);
                    assertThat(full.headers().firstValue("Retry-After")).isPresent();
                    assertThat(Api.json(full).get("type").asText()).endsWith("/queue-full");

                    JsonNode queue = Api.json(user().get("/v1/queue"));
                    assertThat(queue).hasSize(3);
                    assertThat(Api.json(user().delete("/v1/jobs/" + firstJob)).get("id").asText()).isEqualTo(firstJob);
                    assertThat(first.finish(WAIT).getLast().name()).isEqualTo("done");
                    assertThat(Api.tree(first.received().getLast().data()).get("finish_reason").asText())
                            .isEqualTo("cancelled");

                    String secondJob = Api.tree(second.await("started", WAIT).data()).get("job_id").asText();
                    JsonNode moved = Api.tree(third.await("queued", WAIT).data());
                    assertThat(moved.get("position").asInt()).as("the third job moved up").isEqualTo(1);

                    String thirdJob = queue.get(2).get("id").asText();
                    third.close();
                    // A client that leaves while queued is noticed at the next heartbeat.
                    await().atMost(WAIT).until(() -> server.core.scheduler().find(thirdJob).orElseThrow().state()
                            == Job.State.CANCELLED);
                    user().delete("/v1/jobs/" + secondJob);
                }
            }
        }
        await().atMost(WAIT).until(() -> Api.json(user().get("/v1/queue")).isEmpty());

        // A client that leaves while its job runs is noticed at the next delta.
        try (SseClient leaving = SseClient.post(server, userToken, generate(DEFAULT, 4000, true, ""))) {
            String jobId = Api.tree(leaving.await("started", WAIT).data()).get("job_id").asText();
            leaving.await("delta", WAIT);
            leaving.close();
            await().atMost(WAIT).until(() -> server.core.scheduler().find(jobId).orElseThrow().state()
                    == Job.State.CANCELLED);
            assertThat(server.core.usage().forJob(jobId)).singleElement()
                    .satisfies(row -> assertThat(row.get("outcome")).isEqualTo("cancelled"));
        }
    }

    @Test
    @Order(5)
    void anotherUsersJobIsNotFound() throws Exception {
        try (SseClient stream = SseClient.post(server, adminToken, generate(DEFAULT, 2000, true, ""))) {
            String jobId = Api.tree(stream.await("started", WAIT).data()).get("job_id").asText();
            assertThat(user().get("/v1/jobs/" + jobId).statusCode()).isEqualTo(404);
            assertThat(user().delete("/v1/jobs/" + jobId).statusCode()).isEqualTo(404);
            assertThat(admin().get("/v1/jobs/" + jobId).statusCode()).isEqualTo(200);
            admin().delete("/v1/jobs/" + jobId);
            stream.finish(WAIT);
        }
    }

    @Test
    @Order(6)
    void aPreloadedModelAnswersWithoutLoadingAndUnloadFreesIt() throws Exception {
        assertThat(user().post("/v1/models/" + OTHER + "/load", null).statusCode()).as("admins only").isEqualTo(403);
        assertThat(admin().post("/v1/models/" + OTHER + "/load", null).statusCode()).isEqualTo(202);
        await().atMost(WAIT).until(() -> Api.json(admin().get("/v1/models/" + OTHER)).get("runtime").get("phase")
                .asText().equals("ready"));
        assertThat(Api.json(admin().get("/v1/models/" + OTHER)).get("runtime").get("memory_bytes").asLong()).isPositive();

        try (SseClient stream = SseClient.post(server, userToken, generate(OTHER, 20, true, ""))) {
            assertThat(names(stream.finish(WAIT))).doesNotContain("loading").contains("started", "delta", "done");
        }

        HttpResponse<String> settings = admin().put("/v1/admin/models/" + OTHER + "/settings",
                "{\"threads\":1,\"context_size\":1024}");
        assertThat(settings.statusCode()).as(settings.body()).isEqualTo(200);
        assertThat(Api.json(settings).get("runner_settings").get("context_size").asInt()).isEqualTo(1024);
        assertThat(admin().put("/v1/admin/models/" + OTHER + "/settings", "{\"threads\":-1}").statusCode())
                .isEqualTo(400);
        assertThat(user().put("/v1/admin/models/" + OTHER + "/settings", "{}").statusCode()).isEqualTo(403);

        assertThat(admin().post("/v1/models/" + OTHER + "/unload", null).statusCode()).isEqualTo(200);
        JsonNode runtime = Api.json(admin().get("/v1/models/" + OTHER)).get("runtime");
        assertThat(runtime.get("phase").asText()).isEqualTo("unloaded");
        assertThat(runtime.get("memory_bytes").asLong()).isZero();

        HttpResponse<String> unloadDefault = admin().post("/v1/models/" + DEFAULT + "/unload", null);
        assertThat(unloadDefault.statusCode()).isEqualTo(409);
        assertThat(Api.json(unloadDefault).get("detail").asText()).contains("default");

        // Naming the same default again is remembered for the next start.
        assertThat(admin().put("/v1/admin/default-model", "{\"model\":\"" + DEFAULT + "\"}").statusCode())
                .isEqualTo(200);
        assertThat(server.core.serverSettings().get("models.default")).contains(DEFAULT);
        assertThat(admin().put("/v1/admin/default-model", "{\"model\":\"local/nope\"}").statusCode()).isEqualTo(400);
    }

    @Test
    @Order(7)
    void fallbackAnswersFromTheDefaultWhileWaitShowsLoadingThenTheRequestedModel() throws Exception {
        assertThat(server.core.modelManager().state(OTHER).phase().name()).isEqualTo("UNLOADED");
        try (SseClient stream = SseClient.post(server, userToken,
                generate(OTHER, 20, true, ",\"on_loading\":\"fallback\""))) {
            List<SseClient.Event> events = stream.finish(WAIT);
            assertThat(names(events).getFirst()).isEqualTo("fallback");
            JsonNode fallback = Api.tree(events.getFirst().data());
            assertThat(fallback.get("requested").asText()).isEqualTo(OTHER);
            assertThat(fallback.get("used").asText()).isEqualTo(DEFAULT);
            assertThat(events).filteredOn(event -> event.name().equals("started")).singleElement()
                    .satisfies(event -> assertThat(event.data()).contains(DEFAULT));
            assertThat(names(events).getLast()).isEqualTo("done");
        }
        await().atMost(WAIT).until(() -> server.core.modelManager().state(OTHER).phase().name().equals("READY"));
        assertThat(admin().post("/v1/models/" + OTHER + "/unload", null).statusCode()).isEqualTo(200);

        try (SseClient stream = SseClient.post(server, userToken, generate(OTHER, 20, true, ",\"on_loading\":\"wait\""))) {
            List<SseClient.Event> events = stream.finish(WAIT);
            assertThat(names(events)).contains("loading", "started", "done").doesNotContain("fallback");
            assertThat(names(events).indexOf("loading")).isLessThan(names(events).indexOf("started"));
            assertThat(events).filteredOn(event -> event.name().equals("started")).singleElement()
                    .satisfies(event -> assertThat(event.data()).contains(OTHER));
        }
    }

    @Test
    @Order(8)
    void filesDroppedInAreFoundDeletedOnesMarkedMissingAndCraftedOnesRejected() throws IOException {
        Path written = TinyLlamaGguf.builder().name("Tiny Dropped").build().write(scratch.resolve("dropped.gguf"));
        Path target = dataDir.resolve("models").resolve("dropped.gguf");
        Files.move(written, target, StandardCopyOption.ATOMIC_MOVE);
        await().atMost(WAIT).until(() -> user().get("/v1/models/local/tiny-dropped").statusCode() == 200);

        Files.delete(target);
        await().atMost(WAIT).until(() -> Api.json(admin().get("/v1/models?status=missing")).toString()
                .contains("local/tiny-dropped"));
        assertThat(user().get("/v1/models/local/tiny-dropped").statusCode()).as("still known, not usable")
                .isEqualTo(200);
        assertThat(user().post("/v1/generate", "{\"model\":\"local/tiny-dropped\",\"prompt\":\"x\"}").statusCode())
                .isEqualTo(409);

        Path crafted = scratch.resolve("crafted.gguf");
        byte[] bytes = Files.readAllBytes(dataDir.resolve("models/tiny-default.gguf"));
        bytes[8] = (byte) 0xFF; // the tensor count's lowest byte, so tensors run past the end of the file
        bytes[15] = (byte) 0x7F;
        Files.write(crafted, bytes);
        Files.move(crafted, dataDir.resolve("models/crafted.gguf"), StandardCopyOption.ATOMIC_MOVE);
        await().atMost(WAIT).until(() -> Api.json(admin().get("/v1/models?status=invalid")).size() == 1);
        JsonNode invalid = Api.json(admin().get("/v1/models?status=invalid")).get(0);
        assertThat(invalid.get("status_reason").asText()).isNotBlank();
        assertThat(user().get("/v1/models?status=invalid").statusCode()).isEqualTo(403);
        assertThat(Api.anonymous(server).get("/v1/health").statusCode()).isEqualTo(200);
    }
}
