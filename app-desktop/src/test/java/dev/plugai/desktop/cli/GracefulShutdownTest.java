package dev.plugai.desktop.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class GracefulShutdownTest {

    @Test
    void aRequestInFlightCompletesWhenSigtermArrives(@TempDir Path dataDir) throws Exception {
        String java = ProcessHandle.current().info().command().orElseThrow();
        ProcessBuilder builder = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), SlowServerMain.class.getName(), dataDir.toString());
        try (ServerProcess server = ServerProcess.start(builder)) {
            String baseUrl = server.awaitBaseUrl(Duration.ofSeconds(60));
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            CompletableFuture<HttpResponse<String>> slow = client.sendAsync(
                    HttpRequest.newBuilder(URI.create(baseUrl + "test/slow")).build(),
                    HttpResponse.BodyHandlers.ofString());
            server.await("SLOW-STARTED", Duration.ofSeconds(30));

            // SIGTERM through the handle: Process.destroy() would also close our end of its output pipe.
            server.process.toHandle().destroy();

            HttpResponse<String> response = slow.get(30, TimeUnit.SECONDS);
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("done");
            assertThat(server.process.waitFor(30, TimeUnit.SECONDS)).as("the process ends").isTrue();
            server.await("Stopped", Duration.ofSeconds(5));
            assertThat(server.output()).contains("Shutting down");
        }
    }
}
