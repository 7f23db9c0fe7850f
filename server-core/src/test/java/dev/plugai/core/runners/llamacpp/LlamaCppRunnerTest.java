package dev.plugai.core.runners.llamacpp;

import dev.plugai.core.backends.Cancellation;
import dev.plugai.core.backends.ChatMessage;
import dev.plugai.core.backends.Embedder;
import dev.plugai.core.backends.GenerationResult;
import dev.plugai.core.backends.GenerationResult.FinishReason;
import dev.plugai.core.backends.LoadedModel;
import dev.plugai.core.backends.ModelLoadException;
import dev.plugai.core.backends.RunnerSettings;
import dev.plugai.core.backends.SamplingParameters;
import dev.plugai.core.backends.TextGenerator;
import dev.plugai.core.backends.TextRequest;
import dev.plugai.core.models.gguf.testing.TinyLlamaGguf;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** The runner against real llama.cpp and the real tiny model. */
class LlamaCppRunnerTest {

    @TempDir
    static Path dir;

    private static final LlamaCppRunner RUNNER = new LlamaCppRunner();
    private static Path tinyModel;
    private static LoadedModel loaded;
    private static TextGenerator generator;
    private static final List<Double> progress = new ArrayList<>();

    @BeforeAll
    static void loadTinyModel() throws IOException {
        tinyModel = TinyLlamaGguf.write(dir.resolve("tiny.gguf"));
        loaded = RUNNER.load(tinyModel, RunnerSettings.automatic(), progress::add);
        generator = loaded.textGenerator().orElseThrow();
    }

    @AfterAll
    static void close() {
        loaded.close();
    }

    private static SamplingParameters sampling(Double temperature, Integer maxTokens, Long seed) {
        return new SamplingParameters(temperature, null, null, null, maxTokens, seed, List.of(), null);
    }

    @Test
    void loadingReportsProgressFromZeroToOne() {
        assertThat(progress).first().isEqualTo(0.0);
        assertThat(progress).last().isEqualTo(1.0);
        assertThat(progress).isSorted();
        assertThat(RUNNER.format()).isEqualTo("gguf");
        assertThat(loaded.embedder()).isEmpty();
    }

    @Test
    void memoryEstimateIsTheFilePlusTheKvCache() throws IOException {
        // 2 (K and V) × 2 layers × 512 context × 4 KV heads × 16 per head × 2 bytes.
        assertThat(loaded.memoryBytes()).isEqualTo(Files.size(tinyModel) + 2L * 2 * 512 * 4 * 16 * 2);
    }

    @Test
    void promptGenerationStreamsPiecesInOrder() {
        List<String> pieces = new ArrayList<>();

        GenerationResult result = generator.generate(TextRequest.prompt("hello world", sampling(null, 12, 1L)),
                pieces::add, new Cancellation());

        assertThat(pieces).hasSize(12).allSatisfy(piece -> assertThat(piece).isNotEmpty());
        assertThat(String.join("", pieces)).isEqualTo(result.text());
        assertThat(result.usage().promptTokens()).isEqualTo(9); // BOS + 8 pieces of "hello world"
        assertThat(result.usage().completionTokens()).isEqualTo(12);
        assertThat(result.timings().tokensPerSecond()).isPositive();
        assertThat(result.timings().timeToFirstToken()).isLessThanOrEqualTo(result.timings().total());
    }

    @Test
    void chatGenerationUsesTheModelsTemplate() {
        List<String> pieces = new ArrayList<>();
        TextRequest chat = TextRequest.chat(List.of(new ChatMessage("system", "Be brief."),
                new ChatMessage("user", "Hello there")), sampling(null, 8, 3L));

        GenerationResult result = generator.generate(chat, pieces::add, new Cancellation());

        assertThat(pieces).hasSize(8);
        assertThat(result.text()).isEqualTo(String.join("", pieces));
        // BOS, then three control tokens and every character of the ChatML framing and the two messages.
        assertThat(result.usage().promptTokens()).isEqualTo(43);
    }

    @Test
    void sameSeedGivesTheSameText() {
        TextRequest request = TextRequest.prompt("the model", sampling(0.9, 10, 1234L));

        String first = generator.generate(request, piece -> { }, new Cancellation()).text();
        String second = generator.generate(request, piece -> { }, new Cancellation()).text();

        assertThat(second).isEqualTo(first);
    }

    @Test
    void temperatureZeroIsDeterministic() {
        TextRequest request = TextRequest.prompt("the model", sampling(0.0, 10, null));

        String first = generator.generate(request, piece -> { }, new Cancellation()).text();
        String second = generator.generate(request, piece -> { }, new Cancellation()).text();

        assertThat(second).isEqualTo(first).isNotEmpty();
    }

    @Test
    void maxTokensEndsWithLength() {
        GenerationResult result = generator.generate(TextRequest.prompt("hello", sampling(null, 5, null)),
                piece -> { }, new Cancellation());

        assertThat(result.finishReason()).isEqualTo(FinishReason.LENGTH);
        assertThat(result.usage().completionTokens()).isEqualTo(5);
    }

    @Test
    void cancellingFromTheSinkStopsWithinOneToken() {
        Cancellation cancellation = new Cancellation();
        List<String> pieces = new ArrayList<>();

        GenerationResult result = generator.generate(TextRequest.prompt("hello", sampling(null, 200, null)), piece -> {
            pieces.add(piece);
            if (pieces.size() == 3) {
                cancellation.cancel();
            }
        }, cancellation);

        assertThat(result.finishReason()).isEqualTo(FinishReason.CANCELLED);
        assertThat(pieces).hasSize(3);
        assertThat(result.usage().completionTokens()).isEqualTo(3);
        // The slot is free again: the next generation runs normally.
        assertThat(generator.generate(TextRequest.prompt("hello", sampling(null, 2, null)), piece -> { },
                new Cancellation()).usage().completionTokens()).isEqualTo(2);
    }

    @Test
    void stopSequenceEndsWithStop() {
        String free = generator.generate(TextRequest.prompt("hello", sampling(0.0, 20, null)), piece -> { },
                new Cancellation()).text();
        String stop = free.substring(6, 8);
        SamplingParameters withStop = new SamplingParameters(0.0, null, null, null, 20, null, List.of(stop), null);

        GenerationResult result = generator.generate(TextRequest.prompt("hello", withStop), piece -> { }, new Cancellation());

        assertThat(result.finishReason()).isEqualTo(FinishReason.STOP);
        assertThat(result.text()).doesNotContain(stop);
        assertThat(free).startsWith(result.text());
    }

    @Test
    void unsupportedArchitectureFailsClearlyBeforeNativeCode() throws IOException {
        Path imaginary = TinyLlamaGguf.builder().architecture("imaginary").build().write(dir.resolve("imaginary.gguf"));

        assertThatThrownBy(() -> RUNNER.load(imaginary, RunnerSettings.automatic(), value -> { }))
                .isInstanceOf(ModelLoadException.class)
                .hasMessage("unsupported architecture 'imaginary': the bundled llama.cpp (b4916) cannot run it");
    }

    @Test
    void invalidFileFailsWithTheReadersReason() throws IOException {
        Path crafted = TinyLlamaGguf.builder().build().declareKvCount(1L << 40).write(dir.resolve("crafted.gguf"));

        assertThatThrownBy(() -> RUNNER.load(crafted, RunnerSettings.automatic(), value -> { }))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageStartingWith("'crafted.gguf' is not a valid GGUF file: metadata count 1099511627776 is absurd");
    }

    @Test
    void nativeLoadFailureBecomesAModelLoadException() throws IOException {
        // Valid GGUF, but it declares a third layer whose tensors are missing: only llama.cpp notices.
        Path incomplete = TinyLlamaGguf.builder().build().putUInt32("llama.block_count", 3).write(dir.resolve("incomplete.gguf"));

        assertThatThrownBy(() -> RUNNER.load(incomplete, RunnerSettings.automatic(), value -> { }))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageStartingWith("llama.cpp could not load 'incomplete.gguf'");
    }

    @Test
    void mmprojSidecarIsNotLoadedAsAModel() throws IOException {
        Path projector = TinyLlamaGguf.write(dir.resolve("mmproj-tiny.gguf"));

        assertThatThrownBy(() -> RUNNER.load(projector, RunnerSettings.automatic(), value -> { }))
                .isInstanceOf(ModelLoadException.class).hasMessageContaining("multimodal projector");
    }

    @Test
    void closingTwiceIsHarmless() throws IOException {
        LoadedModel model = RUNNER.load(tinyModel, new RunnerSettings(1, 128, 0, 1), value -> { });
        assertThat(model.textGenerator().orElseThrow().generate(TextRequest.prompt("hi", sampling(null, 3, null)),
                piece -> { }, new Cancellation()).usage().completionTokens()).isEqualTo(3);

        model.close();
        model.close();
    }

    @Test
    void embeddingModelOffersAnEmbedderInsteadOfAGenerator() throws IOException {
        Path pooled = TinyLlamaGguf.builder().build().putUInt32("llama.pooling_type", 1).write(dir.resolve("embed.gguf"));

        try (LoadedModel model = RUNNER.load(pooled, RunnerSettings.automatic(), value -> { })) {
            Embedder.Embeddings embeddings = model.embedder().orElseThrow().embed(List.of("hello world", "tiny"), true);

            assertThat(model.textGenerator()).isEmpty();
            assertThat(embeddings.dimensions()).isEqualTo(64);
            assertThat(embeddings.vectors()).hasSize(2);
            double norm = 0;
            for (float value : embeddings.vectors().getFirst()) {
                norm += value * value;
            }
            assertThat(Math.sqrt(norm)).isCloseTo(1.0, within(1e-4));
        }
    }
}
