package dev.plugai.core.runners.onnx;

import ai.djl.util.Utils;
import dev.plugai.core.backends.Embedder;
import dev.plugai.core.backends.Embedder.Embeddings;
import dev.plugai.core.backends.LoadedModel;
import dev.plugai.core.backends.ModelLoadException;
import dev.plugai.core.backends.RunnerSettings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** The runner against the real all-MiniLM-L6-v2 ONNX model, offline. */
class OnnxEmbeddingRunnerTest {

    private static final List<String> SENTENCES = List.of(
            "A man is playing a guitar.", "Someone plays the guitar.", "The stock market fell today.");

    @TempDir
    static Path models;

    private static Path miniLm;
    private static LoadedModel loaded;
    private static Embedder embedder;
    private static final List<Double> progress = Collections.synchronizedList(new ArrayList<>());

    @BeforeAll
    static void loadMiniLm() throws Exception {
        // Without offline mode DJL would fetch missing natives from its CDN; the build sets it so that any
        // such attempt throws and fails these tests.
        assertThat(Utils.isOfflineMode()).as("ai.djl.offline must be set for tests").isTrue();
        miniLm = MiniLmFolder.create(Files.createDirectory(models.resolve("all-minilm-l6-v2")));
        loaded = new OnnxEmbeddingRunner().load(miniLm, new RunnerSettings(2, 0, 0, 1), progress::add);
        embedder = loaded.embedder().orElseThrow();
    }

    @AfterAll
    static void unload() {
        loaded.close();
    }

    @Test
    void loadReportsProgressFromZeroToOne() {
        assertThat(progress).first().isEqualTo(0.0);
        assertThat(progress).last().isEqualTo(1.0);
        assertThat(progress).isSorted();
    }

    @Test
    void offersEmbeddingsOnlyAndEstimatesMemoryFromTheWeights() throws Exception {
        assertThat(loaded.textGenerator()).isEmpty();
        assertThat(loaded.memoryBytes()).isEqualTo((long) (Files.size(miniLm.resolve("model.onnx")) * 1.5));
    }

    @Test
    void batchOfThreeGivesUnitLength384DimensionVectors() {
        Embeddings embeddings = embedder.embed(SENTENCES, true);

        assertThat(embeddings.dimensions()).isEqualTo(384);
        assertThat(embeddings.vectors()).hasSize(3).allSatisfy(vector -> {
            assertThat(vector).hasSize(384);
            assertThat(norm(vector)).isCloseTo(1.0, within(1e-4));
        });
    }

    @Test
    void sameInputsGiveTheSameVectorsAcrossCalls() {
        List<float[]> first = embedder.embed(SENTENCES, true).vectors();
        List<float[]> second = embedder.embed(SENTENCES, true).vectors();

        for (int i = 0; i < SENTENCES.size(); i++) {
            assertThat(second.get(i)).containsExactly(first.get(i));
        }
    }

    @Test
    void paraphraseScoresHigherThanAnUnrelatedSentence() {
        List<float[]> vectors = embedder.embed(SENTENCES, true).vectors();

        double paraphrase = cosine(vectors.get(0), vectors.get(1));
        double unrelated = cosine(vectors.get(0), vectors.get(2));

        assertThat(paraphrase).isGreaterThan(unrelated + 0.3);
    }

    @Test
    void paddingInABatchDoesNotChangeVectors() {
        List<String> lengths = List.of("Hi.", "A considerably longer sentence, so that the other rows are padded.",
                "Someone plays the guitar.");
        List<float[]> batched = embedder.embed(lengths, true).vectors();

        for (int i = 0; i < lengths.size(); i++) {
            float[] alone = embedder.embed(List.of(lengths.get(i)), true).vectors().getFirst();
            assertThat(batched.get(i)).containsExactly(alone, within(1e-4f));
        }
    }

    @Test
    void moreInputsThanOneRunTakesStayInOrder() {
        List<String> many = new ArrayList<>();
        for (int i = 0; i < OnnxEmbedder.BATCH_SIZE + 5; i++) {
            many.add(i % 7 == 0 ? SENTENCES.get(2) : "sentence number " + i);
        }
        List<float[]> vectors = embedder.embed(many, true).vectors();

        assertThat(vectors).hasSize(many.size());
        float[] market = embedder.embed(List.of(SENTENCES.get(2)), true).vectors().getFirst();
        assertThat(vectors.get(35)).containsExactly(market, within(1e-4f));
    }

    @Test
    void longInputIsTruncatedToTheModelLimit() {
        String longText = "word ".repeat(3_000);

        Embeddings embeddings = embedder.embed(List.of(longText), true);

        assertThat(embeddings.vectors().getFirst()).hasSize(384);
        assertThat(embeddings.promptTokens()).isEqualTo(256);
    }

    @Test
    void promptTokensCountRealTokensWithSpecialTokens() {
        assertThat(embedder.embed(List.of("hello world"), true).promptTokens()).isEqualTo(4);
        // Padding of the shorter input is not counted.
        assertThat(embedder.embed(List.of("hello world", "hello"), true).promptTokens()).isEqualTo(7);
    }

    @Test
    void emptyInputListIsRefused() {
        assertThatThrownBy(() -> embedder.embed(List.of(), true))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least one input");
    }

    @Test
    void concurrentCallsGiveTheSameVectorsAsSequentialOnes() throws Exception {
        float[] expected = embedder.embed(List.of(SENTENCES.getFirst()), true).vectors().getFirst();
        try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
            List<Future<float[]>> results = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                results.add(pool.submit(() -> embedder.embed(List.of(SENTENCES.getFirst()), true).vectors().getFirst()));
            }
            for (Future<float[]> result : results) {
                assertThat(result.get()).containsExactly(expected, within(1e-5f));
            }
        }
    }

    @Test
    void withoutNormalizeInThePipelineVectorsAreScaledOnlyWhenAsked() throws Exception {
        Path folder = MiniLmFolder.linkModelFiles(miniLm, models.resolve("minilm-raw"));
        MiniLmFolder.write(folder, "config.json", MiniLmFolder.CONFIG);
        MiniLmFolder.write(folder, "modules.json", MiniLmFolder.MODULES_WITHOUT_NORMALIZE);
        MiniLmFolder.write(folder, "1_Pooling/config.json", MiniLmFolder.POOLING_MEAN);

        try (LoadedModel raw = new OnnxEmbeddingRunner().load(folder, RunnerSettings.automatic(), value -> { })) {
            Embedder rawEmbedder = raw.embedder().orElseThrow();
            float[] plain = rawEmbedder.embed(List.of(SENTENCES.getFirst()), false).vectors().getFirst();
            float[] scaled = rawEmbedder.embed(List.of(SENTENCES.getFirst()), true).vectors().getFirst();
            float[] pipeline = embedder.embed(List.of(SENTENCES.getFirst()), false).vectors().getFirst();

            assertThat(Math.abs(norm(plain) - 1)).isGreaterThan(0.01);
            assertThat(scaled).containsExactly(pipeline, within(1e-5f));
        }
    }

    @Test
    void closeIsIdempotentAndLaterCallsAreRefused() throws Exception {
        Path folder = MiniLmFolder.linkModelFiles(miniLm, models.resolve("minilm-closed"));
        MiniLmFolder.write(folder, "config.json", MiniLmFolder.CONFIG);
        LoadedModel model = new OnnxEmbeddingRunner().load(folder, RunnerSettings.automatic(), value -> { });
        Embedder closing = model.embedder().orElseThrow();

        model.close();
        model.close();

        assertThatThrownBy(() -> closing.embed(List.of("hello"), true))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("unloaded");
    }

    @Test
    void missingTokenizerFailsTheLoadClearly() throws Exception {
        Path folder = Files.createDirectory(models.resolve("no-tokenizer"));
        Files.createSymbolicLink(folder.resolve("model.onnx"), miniLm.resolve("model.onnx"));
        MiniLmFolder.write(folder, "config.json", MiniLmFolder.CONFIG);

        assertThatThrownBy(() -> new OnnxEmbeddingRunner().load(folder, RunnerSettings.automatic(), value -> { }))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("tokenizer.json is missing");
    }

    @Test
    void corruptModelFailsTheLoadClearly() throws Exception {
        Path folder = Files.createDirectory(models.resolve("corrupt"));
        Files.createSymbolicLink(folder.resolve("tokenizer.json"), miniLm.resolve("tokenizer.json"));
        MiniLmFolder.write(folder, "config.json", MiniLmFolder.CONFIG);
        Files.write(folder.resolve("model.onnx"), new byte[] {8, 7, 1, 2, 3, 0, 0, 42});

        assertThatThrownBy(() -> new OnnxEmbeddingRunner().load(folder, RunnerSettings.automatic(), value -> { }))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("model.onnx of " + folder + " cannot be loaded by ONNX Runtime");
    }

    @Test
    void configThatContradictsTheGraphFailsTheLoad() throws Exception {
        Path folder = MiniLmFolder.linkModelFiles(miniLm, models.resolve("wrong-size"));
        MiniLmFolder.write(folder, "config.json", "{\"model_type\":\"bert\",\"hidden_size\":768}");

        assertThatThrownBy(() -> new OnnxEmbeddingRunner().load(folder, RunnerSettings.automatic(), value -> { }))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("384-long vectors but its config.json says the hidden size is 768");
    }

    @Test
    void tokenizerNativesComeFromTheJarIntoTheFreshCache() throws Exception {
        Path cache = Path.of(System.getProperty("DJL_CACHE_DIR"));
        try (var files = Files.walk(cache)) {
            assertThat(files.map(path -> path.getFileName().toString())).contains("libtokenizers.so");
        }
    }

    private static double norm(float[] vector) {
        double squares = 0;
        for (float value : vector) {
            squares += (double) value * value;
        }
        return Math.sqrt(squares);
    }

    private static double cosine(float[] left, float[] right) {
        double dot = 0;
        for (int i = 0; i < left.length; i++) {
            dot += (double) left[i] * right[i];
        }
        return dot / (norm(left) * norm(right));
    }
}
