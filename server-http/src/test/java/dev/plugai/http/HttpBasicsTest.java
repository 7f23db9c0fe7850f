package dev.plugai.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class HttpBasicsTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    static Path dataDir;

    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(dataDir, Map.of("server.max-request-body", "64KiB"), List.of(new EchoResource()));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static JsonNode json(HttpResponse<String> response) throws IOException {
        return MAPPER.readTree(response.body());
    }

    private static void assertProblem(HttpResponse<String> response, int status, String typeSlug) throws IOException {
        assertThat(response.statusCode()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).contains("application/problem+json");
        JsonNode problem = json(response);
        assertThat(problem.get("type").asText()).isEqualTo("https://plugai.dev/problems/" + typeSlug);
        assertThat(problem.get("title").asText()).isNotBlank();
        assertThat(problem.get("status").asInt()).isEqualTo(status);
        assertThat(problem.get("detail").asText()).isNotBlank();
        assertThat(problem.get("instance").asText()).startsWith("/");
        assertThat(problem.get("request_id").asText())
                .isEqualTo(response.headers().firstValue("X-Request-Id").orElseThrow());
    }

    @Test
    void healthAnswersJsonWithVersionAndUptime() throws IOException {
        HttpResponse<String> response = server.get("/v1/health");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).contains("application/json");
        JsonNode health = json(response);
        assertThat(health.get("status").asText()).isEqualTo("ok");
        assertThat(health.get("version").asText()).isNotBlank().isNotEqualTo("unknown");
        assertThat(health.get("uptime_s").isIntegralNumber()).isTrue();
        assertThat(response.headers().firstValue("X-Request-Id")).isPresent();
    }

    @Test
    void anUnknownRouteIsA404Problem() throws IOException {
        HttpResponse<String> response = server.get("/v1/no-such-thing");

        assertProblem(response, 404, "route-not-found");
        assertThat(json(response).get("instance").asText()).isEqualTo("/v1/no-such-thing");
    }

    @Test
    void aWrongMethodIsA405ProblemWithAllow() throws IOException {
        HttpResponse<String> response = server.send(HttpRequest.newBuilder(server.uri("/v1/health"))
                .DELETE().build());

        assertProblem(response, 405, "method-not-allowed");
        assertThat(response.headers().firstValue("Allow")).contains("GET, HEAD");
    }

    @Test
    void theCallersRequestIdIsKeptAndAnInsaneOneReplaced() throws IOException {
        HttpResponse<String> kept = server.send(HttpRequest.newBuilder(server.uri("/v1/nope"))
                .header("X-Request-Id", "trace-abc.123").GET().build());
        assertThat(kept.headers().firstValue("X-Request-Id")).contains("trace-abc.123");
        assertThat(json(kept).get("request_id").asText()).isEqualTo("trace-abc.123");

        HttpResponse<String> replaced = server.send(HttpRequest.newBuilder(server.uri("/v1/health"))
                .header("X-Request-Id", "<script>alert(1)</script>").GET().build());
        assertThat(replaced.headers().firstValue("X-Request-Id").orElseThrow()).matches("[0-9a-f]{24}");
    }

    @Test
    void malformedJsonIsA400ProblemThatSaysWhere() throws IOException {
        HttpResponse<String> response = server.send(HttpRequest.newBuilder(server.uri("/test/echo"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"text\": \"hi\", ")).build());

        assertProblem(response, 400, "malformed-json");
        assertThat(json(response).get("detail").asText()).contains("line 1");
    }

    @Test
    void wellFormedJsonReachesTheHandler() throws IOException {
        HttpResponse<String> response = server.send(HttpRequest.newBuilder(server.uri("/test/echo"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"text\": \"hi\", \"times\": 2}")).build());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json(response).get("times").asInt()).isEqualTo(2);
    }

    @Test
    void unknownFieldsAndWrongTypesAreNamed() throws IOException {
        HttpResponse<String> unknown = server.send(HttpRequest.newBuilder(server.uri("/test/echo"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"txet\": \"hi\"}")).build());
        assertProblem(unknown, 400, "invalid-request");
        assertThat(json(unknown).get("detail").asText()).contains("'txet'").contains("text");

        HttpResponse<String> wrongType = server.send(HttpRequest.newBuilder(server.uri("/test/echo"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"times\": \"many\"}")).build());
        assertProblem(wrongType, 400, "malformed-json");
        assertThat(json(wrongType).get("detail").asText()).contains("'times'").doesNotContain("java.");
    }

    @Test
    void nonJsonContentTypesAreRefusedWith415() throws IOException {
        for (String type : List.of("text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x")) {
            HttpResponse<String> response = server.send(HttpRequest.newBuilder(server.uri("/test/echo"))
                    .header("Content-Type", type)
                    .POST(HttpRequest.BodyPublishers.ofString("{\"text\": \"hi\"}")).build());
            assertProblem(response, 415, "unsupported-media-type");
        }
    }

    @Test
    void aBodyOverTheLimitIsRefusedWith413BeforeItIsSent() throws IOException {
        // Announce 100 MB, send none of it: the answer must come from the headers alone.
        try (Socket socket = new Socket("127.0.0.1", server.server.port())) {
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /test/echo HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "X-Request-Id: big-body-1\r\nContent-Length: 100000000\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            String response = new String(in.readNBytes(4096), StandardCharsets.UTF_8);

            assertThat(response).startsWith("HTTP/1.1 413");
            assertThat(response).contains("application/problem+json")
                    .contains("https://plugai.dev/problems/payload-too-large")
                    .contains("\"request_id\":\"big-body-1\"");
        }
    }

    @Test
    void aChunkedBodyOverTheLimitIsRefusedToo() {
        byte[] big = new byte[200 * 1024];
        java.util.Arrays.fill(big, (byte) ' ');
        HttpResponse<String> response = server.send(HttpRequest.newBuilder(server.uri("/test/echo"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(big))).build());

        assertThat(response.statusCode()).isEqualTo(413);
    }

    @Test
    void anUnexpectedErrorIsA500WithoutInternals() throws IOException {
        HttpResponse<String> response = server.get("/test/boom");

        assertProblem(response, 500, "internal");
        assertThat(response.body()).doesNotContain("secret", "/etc/", "IllegalStateException", "at dev.");
    }

    @Test
    void metricsExposeJvmAndHttpMetersInPrometheusFormat() {
        server.get("/v1/health");
        HttpResponse<String> response = server.get("/metrics");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/plain");
        assertThat(response.body())
                .contains("# TYPE http_server_requests_seconds histogram")
                .containsPattern("http_server_requests_seconds_count\\{method=\"GET\",route=\"/v1/health\",status=\"200\"} \\d+")
                .contains("http_server_requests_seconds_bucket{");
    }

    @Test
    void theOpenApiDocumentIsServedAsYamlAndJson() throws IOException {
        HttpResponse<String> yaml = server.get("/openapi");
        assertThat(yaml.statusCode()).isEqualTo(200);
        assertThat(yaml.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/yaml");
        assertThat(yaml.body()).startsWith("openapi: 3.1");

        HttpResponse<String> json = server.get("/openapi?format=json");
        assertThat(json(json).get("openapi").asText()).startsWith("3.1");
        assertThat(json(json).get("paths").has("/v1/health")).isTrue();
    }

    @Test
    void theWebUiIsServedAtTheRoot() {
        HttpResponse<String> response = server.get("/");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/html");
        assertThat(response.body()).contains("<title>PlugAI</title>");
    }
}
