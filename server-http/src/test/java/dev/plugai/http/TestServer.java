package dev.plugai.http;

import dev.plugai.core.PlugAiCore;
import dev.plugai.core.config.ConfigInputs;
import dev.plugai.core.config.ConfigLoader;
import dev.plugai.core.config.PlugAiConfig;
import dev.plugai.http.routing.ApiResource;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A real server on a free loopback port with its own data folder, for tests; close it after. */
final class TestServer implements AutoCloseable {

    final PlugAiCore core;
    final PlugAiServer server;
    final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    private TestServer(PlugAiCore core, PlugAiServer server) {
        this.core = core;
        this.server = server;
    }

    static TestServer start(Path dataDir, Map<String, String> settings, List<ApiResource> extra) {
        return start(dataDir, settings, extra, Clock.systemUTC());
    }

    /** A server whose core runs on the given clock, so tests can move time instead of sleeping. */
    static TestServer start(Path dataDir, Map<String, String> settings, List<ApiResource> extra, Clock clock) {
        Map<String, String> flags = new HashMap<>(settings);
        flags.putIfAbsent("server.port", "0");
        flags.put("data.dir", dataDir.toString());
        PlugAiConfig config = ConfigLoader.load(new ConfigInputs(flags, Optional.empty(), Map.of(), "Linux", dataDir));
        PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        PlugAiCore core = PlugAiCore.open(config, clock, meters);
        return new TestServer(core, PlugAiServer.start(ServerContext.of(core, meters), extra));
    }

    static TestServer start(Path dataDir) {
        return start(dataDir, Map.of(), List.of());
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(uri(path)).GET().build());
    }

    HttpResponse<String> send(HttpRequest request) {
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.stop();
        core.close();
    }
}
