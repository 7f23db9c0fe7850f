package dev.plugai.desktop.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.plugai.core.config.Setting;
import dev.plugai.core.config.Settings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The real {@code ./plugai} script, run after packaging, as a user would run it. */
class LauncherScriptIT {

    private static final Path SCRIPT = Path.of("..", "plugai").toAbsolutePath().normalize();
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private HttpResponse<String> get(String url, String requestId) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(URI.create(url)).header("X-Request-Id", requestId).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static ProcessBuilder script(String... args) {
        List<String> command = new java.util.ArrayList<>(List.of(SCRIPT.toString()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).directory(SCRIPT.getParent().toFile());
    }

    @Test
    void serverPrintsItsUrlAndServesHealthMetricsAndOpenApi(@TempDir Path dataDir) throws Exception {
        try (ServerProcess server = ServerProcess.start(
                script("--server", "--port", "0", "--data-dir", dataDir.toString()))) {
            String baseUrl = server.awaitBaseUrl(Duration.ofSeconds(120));

            HttpResponse<String> health = get(baseUrl + "v1/health", "it-health-1");
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(MAPPER.readTree(health.body()).get("status").asText()).isEqualTo("ok");
            assertThat(get(baseUrl + "metrics", "it-metrics-1").body()).contains("jvm_memory_used_bytes");
            assertThat(get(baseUrl + "openapi", "it-openapi-1").body()).startsWith("openapi: 3.1");

            server.process.toHandle().destroy();
            assertThat(server.process.waitFor(60, TimeUnit.SECONDS)).isTrue();
            server.await("Stopped", Duration.ofSeconds(5));
        }
        String log = Files.readString(dataDir.resolve("logs/plugai.log"), StandardCharsets.UTF_8);
        assertThat(log).contains("[it-health-1] plugai.access - GET /v1/health 200");
        assertThat(dataDir.resolve("db/plugai.db")).exists();
        for (String folder : List.of("models", "artifacts", "downloads", "logs", "secrets")) {
            assertThat(dataDir.resolve(folder)).isDirectory();
        }
    }

    @Test
    void serveIsAnAliasAndJsonLogsCarryTheRequestId(@TempDir Path dataDir) throws Exception {
        try (ServerProcess server = ServerProcess.start(
                script("serve", "--port", "0", "--data-dir", dataDir.toString(), "--set", "log.format=json"))) {
            String baseUrl = server.awaitBaseUrl(Duration.ofSeconds(120));
            get(baseUrl + "v1/nothing-here", "it-json-404");

            String accessLine = server.await("it-json-404", Duration.ofSeconds(10));
            JsonNode entry = MAPPER.readTree(accessLine);
            assertThat(entry.get("loggerName").asText()).isEqualTo("plugai.access");
            assertThat(entry.get("mdc").get("request_id").asText()).isEqualTo("it-json-404");
            assertThat(entry.get("formattedMessage").asText()).contains("GET /v1/nothing-here 404");
        }
    }

    @Test
    void theFirstAdminIsBootstrappedOfflineWhileTheServerRuns(@TempDir Path dataDir) throws Exception {
        try (ServerProcess server = ServerProcess.start(
                script("--server", "--port", "0", "--data-dir", dataDir.toString()))) {
            String baseUrl = server.awaitBaseUrl(Duration.ofSeconds(120));

            Process add = script("users", "add", "--admin", "--username", "root", "--password-stdin",
                    "--data-dir", dataDir.toString()).redirectErrorStream(true).start();
            add.getOutputStream().write("correct horse battery\n".getBytes(StandardCharsets.UTF_8));
            add.getOutputStream().close();
            String added = new String(add.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(add.waitFor()).as(added).isZero();

            Process create = script("tokens", "create", "--user", "root", "--name", "bootstrap",
                    "--data-dir", dataDir.toString()).start();
            String token = new String(create.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            assertThat(create.waitFor()).isZero();

            HttpResponse<String> me = client.send(HttpRequest.newBuilder(URI.create(baseUrl + "v1/me"))
                    .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(me.statusCode()).as(me.body()).isEqualTo(200);
            assertThat(MAPPER.readTree(me.body()).get("user").get("role").asText()).isEqualTo("admin");

            HttpResponse<String> anonymous = get(baseUrl + "v1/me", "it-anonymous");
            assertThat(anonymous.statusCode()).isEqualTo(401);
        }
    }

    @Test
    void helpListsEverySettingThroughTheScript() throws Exception {
        Process process = script("--help").redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(process.waitFor()).isZero();
        for (Setting<?> setting : Settings.ALL) {
            assertThat(output).contains(setting.key(), setting.envVariable());
        }
    }

    @Test
    void withoutASuitableJdkTheScriptSaysWhatToInstall(@TempDir Path emptyJdkFolder, @TempDir Path tools)
            throws Exception {
        // A PATH with the shell tools the script uses and no java at all.
        for (String tool : List.of("bash", "dirname", "sed", "head", "readlink", "cat", "find", "printf")) {
            Path target = Path.of("/usr/bin", tool);
            if (Files.exists(target)) {
                Files.createSymbolicLink(tools.resolve(tool), target);
            }
        }
        ProcessBuilder builder = script("--version").redirectErrorStream(true);
        Map<String, String> env = builder.environment();
        env.remove("PLUGAI_JAVA_HOME");
        env.put("JAVA_HOME", emptyJdkFolder.toString());
        env.put("PLUGAI_JDK_DIRS", emptyJdkFolder.toString());
        env.put("PATH", tools.toString());
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(process.waitFor()).isEqualTo(1);
        assertThat(output).contains("needs a JDK 21 or newer").contains("Install one");
    }
}
