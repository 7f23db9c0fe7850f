package dev.plugai.core.runners.onnx;

import dev.plugai.core.backends.Embedder;
import dev.plugai.core.backends.LoadedModel;
import dev.plugai.core.backends.RunnerSettings;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Prints load time and embedding throughput of all-MiniLM-L6-v2 on this machine (a bench command, not a
 * test: timings are never asserted). Run with the server-core test class path:
 * {@code java -Dai.djl.offline=true -cp ... dev.plugai.core.runners.onnx.OnnxEmbeddingBench [threads]}.
 */
final class OnnxEmbeddingBench {

    private static final int BATCH = 32;
    private static final int ROUNDS = 40;

    private OnnxEmbeddingBench() {
    }

    public static void main(String[] args) throws Exception {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : 0;
        Path folder = MiniLmFolder.create(Files.createTempDirectory("minilm-bench"));
        List<String> sentences = new ArrayList<>();
        for (int i = 0; i < BATCH; i++) {
            sentences.add("Short sentence number " + i + " about guitars, markets and the weather.");
        }
        OnnxEmbeddingRunner runner = new OnnxEmbeddingRunner();
        try {
            run(runner, folder, threads, sentences);
        } finally {
            try (Stream<Path> files = Files.walk(folder)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    private static void run(OnnxEmbeddingRunner runner, Path folder, int threads, List<String> sentences) {
        for (int load = 1; load <= 2; load++) {
            long start = System.nanoTime();
            try (LoadedModel model = runner.load(folder, new RunnerSettings(threads, 0, 0, 1), value -> { })) {
                System.out.printf("load %d: %.0f ms%n", load, (System.nanoTime() - start) / 1e6);
                if (load == 2) {
                    measure(model.embedder().orElseThrow(), sentences, threads);
                }
            }
        }
    }

    private static void measure(Embedder embedder, List<String> sentences, int threadsLabel) {
        for (int i = 0; i < 5; i++) {
            embedder.embed(sentences, true);
        }
        long start = System.nanoTime();
        for (int i = 0; i < ROUNDS; i++) {
            embedder.embed(sentences, true);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("batch of %d, %d rounds: %.1f ms per batch, %.0f embeddings/s (%s)%n",
                BATCH, ROUNDS, seconds * 1000 / ROUNDS, BATCH * ROUNDS / seconds,
                Runtime.getRuntime().availableProcessors() + " cpus, threads setting " + threadsLabel);
    }
}
