package dev.plugai.core.models.gguf;

import dev.plugai.core.models.gguf.testing.GgufWriter;
import dev.plugai.core.models.gguf.testing.TinyLlamaGguf;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static dev.plugai.core.models.gguf.testing.GgufWriter.le64;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class GgufReaderTest {

    @TempDir
    Path dir;

    @Test
    void tinyModelRoundTripsEveryDerivedFact() throws IOException {
        Path file = TinyLlamaGguf.builder().name("Tiny Test").sampling("temp", 0.6f).sampling("top_p", 0.9f)
                .sampling("top_k", 20).sampling("min_p", 0.02f).sampling("penalty_repeat", 1.1f)
                .build().write(dir.resolve("tiny.gguf"));

        GgufFile gguf = GgufReader.read(file);
        GgufSummary summary = gguf.summary();

        assertThat(gguf.version()).isEqualTo(3);
        assertThat(gguf.alignment()).isEqualTo(32);
        assertThat(gguf.fileSize()).isEqualTo(Files.size(file));
        assertThat(gguf.dataOffset() % 32).isZero();
        assertThat(summary.architecture()).isEqualTo("llama");
        assertThat(summary.name()).contains("Tiny Test");
        assertThat(summary.sizeLabel()).contains("192K");
        assertThat(summary.contextLength()).hasValue(512);
        assertThat(summary.parameterCount()).isEqualTo(191_808);
        assertThat(summary.quantization()).isEqualTo("F32");
        assertThat(summary.chatTemplate()).contains(TinyLlamaGguf.CHATML_TEMPLATE);
        assertThat(summary.bosTokenId()).hasValue(1);
        assertThat(summary.eosTokenId()).hasValue(2);
        assertThat(summary.recommendedSampling().temperature()).isCloseTo(0.6, within(1e-6));
        assertThat(summary.recommendedSampling().topP()).isCloseTo(0.9, within(1e-6));
        assertThat(summary.recommendedSampling().topK()).isEqualTo(20);
        assertThat(summary.recommendedSampling().minP()).isCloseTo(0.02, within(1e-6));
        assertThat(summary.recommendedSampling().repeatPenalty()).isCloseTo(1.1, within(1e-6));
        assertThat(summary.split()).isEmpty();
        assertThat(summary.multimodalProjector()).isFalse();
        assertThat(summary.embedding()).isFalse();
    }

    @Test
    void tensorTableDescribesEveryTensorInsideTheFile() throws IOException {
        GgufFile gguf = GgufReader.read(TinyLlamaGguf.write(dir.resolve("tiny.gguf")));

        assertThat(gguf.tensors()).hasSize(3 + 2 * 9);
        GgufTensorInfo embeddings = gguf.tensors().getFirst();
        assertThat(embeddings.name()).isEqualTo("token_embd.weight");
        assertThat(embeddings.dimensions()).containsExactly(64, 856);
        assertThat(embeddings.type()).isEqualTo(GgufTensorType.F32);
        assertThat(embeddings.offset()).isZero();
        assertThat(embeddings.byteSize()).isEqualTo(64L * 856 * 4);
        assertThat(gguf.tensors()).allSatisfy(tensor ->
                assertThat(gguf.dataOffset() + tensor.offset() + tensor.byteSize()).isLessThanOrEqualTo(gguf.fileSize()));
    }

    @Test
    void longArraysAreReadPastButNotKept() throws IOException {
        java.util.List<String> vocabulary = java.util.stream.IntStream.range(0, 150_000).mapToObj(i -> "token" + i).toList();
        Path file = TinyLlamaGguf.builder().build().putStrings("tokenizer.ggml.merges", vocabulary)
                .putInts("big.ints", new int[5000]).write(dir.resolve("big-vocab.gguf"));

        GgufFile gguf = GgufReader.read(file);

        GgufValue.Array merges = (GgufValue.Array) gguf.metadata().get("tokenizer.ggml.merges");
        assertThat(merges.elementType()).isEqualTo(GgufValueType.STRING);
        assertThat(merges.length()).isEqualTo(150_000);
        assertThat(merges.kept()).isFalse();
        assertThat(merges.elements()).isEmpty();
        assertThat(((GgufValue.Array) gguf.metadata().get("big.ints")).length()).isEqualTo(5000);
        assertThat(gguf.tensors()).hasSize(21);
    }

    @Test
    void shortArraysAndEveryScalarTypeAreKept() throws IOException {
        Path file = new GgufWriter().putString("general.architecture", "llama")
                .putStrings("general.tags", java.util.List.of("a", "bé"))
                .putRaw("u8", GgufValueType.UINT8, new byte[] {(byte) 200})
                .putRaw("i8", GgufValueType.INT8, new byte[] {(byte) -5})
                .putRaw("u16", GgufValueType.UINT16, new byte[] {(byte) 0xFF, (byte) 0xFF})
                .putRaw("i64", GgufValueType.INT64, le64(-7))
                .putRaw("f64", GgufValueType.FLOAT64, le64(Double.doubleToLongBits(2.5)))
                .putBool("flag", true)
                .write(dir.resolve("scalars.gguf"));

        GgufFile gguf = GgufReader.read(file);

        assertThat(((GgufValue.Array) gguf.metadata().get("general.tags")).elements())
                .containsExactly(new GgufValue.Str("a"), new GgufValue.Str("bé"));
        assertThat(gguf.integer("u8")).contains(200L);
        assertThat(gguf.integer("i8")).contains(-5L);
        assertThat(gguf.integer("u16")).contains(65535L);
        assertThat(gguf.integer("i64")).contains(-7L);
        assertThat(gguf.metadata().get("f64").asNumber()).contains(2.5);
        assertThat(gguf.metadata().get("flag")).isEqualTo(new GgufValue.Bool(true));
        assertThat(gguf.summary().quantization()).isEqualTo("unknown");
        assertThat(gguf.tensors()).isEmpty();
    }

    @Test
    void mmprojFilesAndClipArchitectureAreProjectors() throws IOException {
        Path byName = TinyLlamaGguf.builder().build().write(dir.resolve("mmproj-model-f16.gguf"));
        Path byArchitecture = TinyLlamaGguf.builder().architecture("clip").build().write(dir.resolve("vision.gguf"));

        assertThat(GgufReader.read(byName).summary().multimodalProjector()).isTrue();
        assertThat(GgufReader.read(byArchitecture).summary().multimodalProjector()).isTrue();
    }

    @Test
    void poolingOrEncoderArchitectureMarksEmbeddingModels() throws IOException {
        Path pooled = TinyLlamaGguf.builder().build().putUInt32("llama.pooling_type", 1).write(dir.resolve("e5.gguf"));
        Path bert = TinyLlamaGguf.builder().architecture("bert").build().write(dir.resolve("bert.gguf"));

        assertThat(GgufReader.read(pooled).summary().embedding()).isTrue();
        assertThat(GgufReader.read(bert).summary().embedding()).isTrue();
    }

    @Test
    void splitShardsReportTheirPlace() throws IOException {
        Path file = TinyLlamaGguf.builder().build().putRaw("split.no", GgufValueType.UINT16, new byte[] {1, 0})
                .putRaw("split.count", GgufValueType.UINT16, new byte[] {3, 0}).putInt32("split.tensors.count", 63)
                .write(dir.resolve("model-00002-of-00003.gguf"));

        assertThat(GgufReader.read(file).summary().split()).contains(new GgufSummary.Split(1, 3, 63));
    }

    @Test
    void fileTypeNamesTheQuantization() throws IOException {
        Path file = TinyLlamaGguf.builder().build().putUInt32("general.file_type", 15).write(dir.resolve("q.gguf"));

        assertThat(GgufReader.read(file).summary().quantization()).isEqualTo("Q4_K_M");
    }

    @Test
    void f16ModelIsReadAsF16() throws IOException {
        Path file = TinyLlamaGguf.builder().tensorType(GgufTensorType.F16).build().write(dir.resolve("f16.gguf"));

        GgufFile gguf = GgufReader.read(file);

        assertThat(gguf.summary().quantization()).isEqualTo("F16");
        assertThat(gguf.tensors().getFirst().byteSize()).isEqualTo(64L * 856 * 2);
    }

    @Test
    void versionTwoIsAccepted() throws IOException {
        Path file = TinyLlamaGguf.builder().build().version(2).write(dir.resolve("v2.gguf"));

        assertThat(GgufReader.read(file).version()).isEqualTo(2);
    }

    @Test
    void missingArchitectureIsRejected() throws IOException {
        Path file = new GgufWriter().putString("general.name", "nameless").write(dir.resolve("x.gguf"));

        assertRejected(file, "general.architecture is missing");
    }

    static void assertRejected(Path file, String reason) {
        assertThatThrownBy(() -> GgufReader.read(file)).isInstanceOf(GgufFormatException.class).hasMessageContaining(reason);
    }
}
