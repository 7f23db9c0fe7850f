package dev.plugai.http.bench;

import dev.plugai.core.PlugAiCore;
import dev.plugai.core.backends.Cancellation;
import dev.plugai.core.backends.GenerationResult;
import dev.plugai.core.backends.LoadedModel;
import dev.plugai.core.backends.RunnerSettings;
import dev.plugai.core.backends.SamplingParameters;
import dev.plugai.core.backends.TextRequest;
import dev.plugai.core.config.ConfigInputs;
import dev.plugai.core.config.ConfigLoader;
import dev.plugai.core.identity.Role;
import dev.plugai.core.identity.Scope;
import dev.plugai.core.identity.User;
import dev.plugai.core.models.gguf.GgufTensorType;
import dev.plugai.core.models.gguf.testing.TinyLlamaGguf;
import dev.plugai.core.runners.llamacpp.LlamaCppRunner;
import dev.plugai.http.PlugAiServer;
import dev.plugai.http.ServerContext;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.sse.EventSource;
import okhttp3.sse.EventSourceListener;
import okhttp3.sse.EventSources;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Prints figures, asserts nothing: the llama.cpp runner's decode speed and time to first token on a
 * generated ~260 MB model, the latency the HTTP + SSE path adds to the first token, and resident memory
 * idle, with the default model and with one more model loaded. Run with {@code bench/generation.sh}.
 */
public final class GenerationBench {

    private static final int ROUNDS = Integer.getInteger("rounds", 30);
    private static final String PROMPT = "The quick brown fox jumps over the lazy dog and then";

    private GenerationBench() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("plugai-bench");
        Path models = Files.createDirectories(dir.resolve("data/models"));
        int threads = Runtime.getRuntime().availableProcessors();
        System.out.printf("machine: %d cores, Java %s%n", threads, Runtime.version());

        Path big = TinyLlamaGguf.builder().name("Bench Large").embeddingLength(1024).blockCount(12).heads(16, 4)
                .feedForwardLength(2816).contextLength(2048).tensorType(GgufTensorType.F16).build()
                .write(dir.resolve("bench-large.gguf"));
        System.out.printf("model: llama arch, width 1024, 12 layers, F16, %.0f MB%n", Files.size(big) / 1e6);

        direct(big);

        Path kept = Files.move(big, models.resolve("bench-large.gguf"));
        // The run's folder is not deleted: the same file can be given to llama.cpp's llama-bench.
        System.out.printf("model file (kept): %s%n", kept);
        TinyLlamaGguf.builder().name("Bench Small").contextLength(2048).build().write(models.resolve("bench-small.gguf"));
        TinyLlamaGguf.builder().name("Bench Second").embeddingLength(512).blockCount(8).heads(8, 4)
                .feedForwardLength(1408).contextLength(2048).tensorType(GgufTensorType.F16).build()
                .write(models.resolve("bench-second.gguf"));
        overHttp(dir.resolve("data"));
        System.exit(0); // llama.cpp's native threads would keep the JVM alive
    }

    private static void direct(Path model) {
        long start = System.nanoTime();
        try (LoadedModel loaded = new LlamaCppRunner().load(model, RunnerSettings.automatic(), progress -> { })) {
            System.out.printf("load: %d ms%n", (System.nanoTime() - start) / 1_000_000);
            var generator = loaded.textGenerator().orElseThrow();
            generator.generate(request(16), text -> { }, new Cancellation()); // warm-up
            List<Double> tps = new ArrayList<>();
            List<Double> ttft = new ArrayList<>();
            for (int round = 0; round < 5; round++) {
                GenerationResult result = generator.generate(request(128), text -> { }, new Cancellation());
                tps.add(result.timings().tokensPerSecond());
                ttft.add(result.timings().timeToFirstToken().toNanos() / 1e6);
            }
            System.out.printf("direct runner, 128 tokens x5: decode median %.1f tokens/s, time to first token median %.1f ms%n",
                    median(tps), median(ttft));
            List<Double> firstTokens = new ArrayList<>();
            for (int round = 0; round < ROUNDS; round++) {
                long begin = System.nanoTime();
                generator.generate(request(1), text -> { }, new Cancellation());
                firstTokens.add((System.nanoTime() - begin) / 1e6);
            }
            System.out.printf("direct runner, 1-token calls x%d: p50 %.2f ms, p99 %.2f ms%n", ROUNDS,
                    percentile(firstTokens, 50), percentile(firstTokens, 99));
            DIRECT_FIRST_TOKEN.addAll(firstTokens);
        }
    }

    private static final List<Double> DIRECT_FIRST_TOKEN = new ArrayList<>();

    private static TextRequest request(int maxTokens) {
        return TextRequest.prompt(PROMPT, new SamplingParameters(0.8, null, null, null, maxTokens, 7L, List.of(), null));
    }

    private static void overHttp(Path dataDir) throws Exception {
        long idle = rssKib();
        var config = ConfigLoader.load(new ConfigInputs(Map.of("server.port", "0", "data.dir", dataDir.toString(),
                "models.default", "local/bench-large", "log.file", "false"), Optional.empty(), Map.of(), "Linux", dataDir));
        PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        PlugAiCore core = PlugAiCore.open(config, Clock.systemUTC(), meters);
        PlugAiServer server = PlugAiServer.start(ServerContext.of(core, meters), List.of());
        long serverIdle = rssKib();
        User user = core.identity().users().create("bench", "correct horse battery".toCharArray(), Role.USER, null);
        String token = core.identity().tokens().create(user, "bench", Scope.defaults(), Optional.empty(),
                Optional.empty()).token();
        core.modelManager().load("local/bench-large").get(5, TimeUnit.MINUTES);
        long withDefault = rssKib();

        OkHttpClient client = new OkHttpClient.Builder().readTimeout(Duration.ofMinutes(2)).build();
        String url = "http://127.0.0.1:" + server.port() + "/v1/generate";
        String body = "{\"model\":\"local/bench-large\",\"prompt\":\"" + PROMPT
                + "\",\"stream\":true,\"params\":{\"max_tokens\":1,\"seed\":7,\"temperature\":0.8}}";
        for (int warm = 0; warm < 5; warm++) {
            firstDelta(client, url, token, body);
        }
        List<Double> http = new ArrayList<>();
        for (int round = 0; round < ROUNDS; round++) {
            http.add(firstDelta(client, url, token, body));
        }
        System.out.printf("HTTP+SSE, first delta of 1-token requests x%d: p50 %.2f ms, p99 %.2f ms%n", ROUNDS,
                percentile(http, 50), percentile(http, 99));
        System.out.printf("added by HTTP+SSE over a direct call: p50 %.2f ms, p99 %.2f ms%n",
                percentile(http, 50) - percentile(DIRECT_FIRST_TOKEN, 50),
                percentile(http, 99) - percentile(DIRECT_FIRST_TOKEN, 99));

        core.modelManager().load("local/bench-second").get(5, TimeUnit.MINUTES);
        long withTwo = rssKib();
        System.out.printf("RSS: JVM before the server %d MiB; server idle (no model) %d MiB; default model loaded %d MiB "
                        + "(+%d); one more model (%.0f MB file) %d MiB (+%d)%n", idle / 1024, serverIdle / 1024,
                withDefault / 1024, (withDefault - serverIdle) / 1024,
                Files.size(dataDir.resolve("models/bench-second.gguf")) / 1e6, withTwo / 1024,
                (withTwo - withDefault) / 1024);
        server.stop();
        core.close();
    }

    private static double firstDelta(OkHttpClient client, String url, String token, String body) throws Exception {
        CompletableFuture<Double> first = new CompletableFuture<>();
        long start = System.nanoTime();
        EventSource source = EventSources.createFactory(client).newEventSource(new Request.Builder().url(url)
                .header("Authorization", "Bearer " + token)
                .post(RequestBody.create(body, MediaType.get("application/json"))).build(), new EventSourceListener() {
                    @Override
                    public void onEvent(EventSource eventSource, String id, String type, String data) {
                        if (type.equals("delta")) {
                            first.complete((System.nanoTime() - start) / 1e6);
                        }
                    }

                    @Override
                    public void onFailure(EventSource eventSource, Throwable error, Response response) {
                        first.completeExceptionally(error == null ? new IllegalStateException("HTTP "
                                + (response == null ? "?" : response.code())) : error);
                    }
                });
        try {
            return first.get(60, TimeUnit.SECONDS);
        } finally {
            source.cancel();
        }
    }

    private static long rssKib() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        return -1;
    }

    private static double median(List<Double> values) {
        return percentile(values, 50);
    }

    private static double percentile(List<Double> values, int percent) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int index = (int) Math.ceil(percent / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }
}
