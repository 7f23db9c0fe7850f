package dev.plugai.core.models.gguf;

import dev.plugai.core.models.gguf.testing.GgufWriter;
import dev.plugai.core.models.gguf.testing.TinyLlamaGguf;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static dev.plugai.core.models.gguf.GgufReaderTest.assertRejected;
import static dev.plugai.core.models.gguf.testing.GgufWriter.concat;
import static dev.plugai.core.models.gguf.testing.GgufWriter.le32;
import static dev.plugai.core.models.gguf.testing.GgufWriter.le64;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/** Crafted and damaged files: each is rejected with its reason, and nothing but the format exception escapes. */
class GgufValidationTest {

    @TempDir
    Path dir;

    private GgufWriter tiny() {
        return TinyLlamaGguf.builder().build();
    }

    @Test
    void badMagicIsRejected() throws IOException {
        assertRejected(tiny().magic(0x4C4C4747).write(dir.resolve("x.gguf")), "not a GGUF file (bad magic");
    }

    @Test
    void unknownVersionIsRejected() throws IOException {
        assertRejected(tiny().version(99).write(dir.resolve("x.gguf")), "unknown GGUF version 99");
    }

    @Test
    void bigEndianFileIsRejectedAsSuch() throws IOException {
        assertRejected(tiny().version(0x03000000).write(dir.resolve("x.gguf")), "big-endian");
    }

    @Test
    void absurdMetadataCountIsRejected() throws IOException {
        assertRejected(tiny().declareKvCount(1L << 40).write(dir.resolve("x.gguf")), "metadata count 1099511627776 is absurd");
    }

    @Test
    void absurdTensorCountIsRejected() throws IOException {
        assertRejected(tiny().declareTensorCount(-1).write(dir.resolve("x.gguf")), "tensor count 18446744073709551615 is absurd");
    }

    @Test
    void stringLengthPastTheEndIsRejected() throws IOException {
        Path file = tiny().putRaw("general.description", GgufValueType.STRING, concat(le64(1_000_000), "short".getBytes()))
                .write(dir.resolve("x.gguf"));

        assertRejected(file, "'general.description' runs past the end of the file");
    }

    @Test
    void absurdArrayLengthIsRejected() throws IOException {
        Path file = tiny().putRaw("tokenizer.ggml.merges", GgufValueType.ARRAY,
                concat(le32(GgufValueType.STRING.id()), le64(1L << 50))).write(dir.resolve("x.gguf"));

        assertRejected(file, "length of array 'tokenizer.ggml.merges' 1125899906842624 is absurd");
    }

    @Test
    void unknownValueTypeIsRejected() throws IOException {
        assertRejected(tiny().putRaw("odd", 13, le32(0)).write(dir.resolve("x.gguf")), "unknown metadata value type 13");
    }

    @Test
    void tensorOffsetPastTheEndIsRejected() throws IOException {
        Path file = tiny().declareTensorOffset("output_norm.weight", 1L << 40).write(dir.resolve("x.gguf"));

        assertRejected(file, "tensor 'output_norm.weight' (256 bytes at data offset 1099511627776) lies outside the file");
    }

    @Test
    void misalignedTensorOffsetIsRejected() throws IOException {
        Path file = tiny().declareTensorOffset("output_norm.weight", 30).write(dir.resolve("x.gguf"));

        assertRejected(file, "not a multiple of the alignment 32");
    }

    @Test
    void tensorDataPastTheEndIsRejected() throws IOException {
        Path file = tiny().declareTensorDimensions("blk.1.ffn_down.weight", new long[] {128, 1_000_000})
                .write(dir.resolve("x.gguf"));

        assertRejected(file, "tensor 'blk.1.ffn_down.weight' (512000000 bytes");
    }

    @Test
    void unknownTensorTypeIsRejected() throws IOException {
        assertRejected(tiny().declareTensorType("output.weight", 4).write(dir.resolve("x.gguf")),
                "tensor 'output.weight' has unknown tensor type 4");
    }

    @Test
    void rowsThatSplitAQuantizationBlockAreRejected() throws IOException {
        assertRejected(tiny().declareTensorType("output.weight", GgufTensorType.Q4_K.id()).write(dir.resolve("x.gguf")),
                "not a multiple of the Q4_K block size 256");
    }

    @Test
    void tooManyDimensionsAreRejected() throws IOException {
        Path file = tiny().declareTensorDimensions("output_norm.weight", new long[] {64, 1, 1, 1, 1}).write(dir.resolve("x.gguf"));

        assertRejected(file, "has 5 dimensions");
    }

    @Test
    void truncatedFilesOnlyEverFailWithTheFormatException() throws IOException {
        byte[] whole = Files.readAllBytes(TinyLlamaGguf.write(dir.resolve("whole.gguf")));
        Path cut = dir.resolve("cut.gguf");
        // Dense cuts through the header and metadata, sparser ones through tensor data.
        for (int length = 0; length < whole.length; length += length < 20_000 ? 11 : 4_099) {
            Files.write(cut, Arrays.copyOf(whole, length));

            Throwable thrown = catchThrowable(() -> GgufReader.read(cut));

            assertThat(thrown).as("cut at %d bytes", length).isInstanceOf(GgufFormatException.class);
        }
    }

    @Test
    void randomByteFlipsNeverEscapeAsAnythingElse() throws IOException {
        byte[] whole = Files.readAllBytes(TinyLlamaGguf.write(dir.resolve("whole.gguf")));
        java.util.SplittableRandom random = new java.util.SplittableRandom(7);
        Path damaged = dir.resolve("damaged.gguf");
        for (int round = 0; round < 100; round++) {
            byte[] copy = whole.clone();
            for (int flips = 0; flips < 4; flips++) {
                copy[random.nextInt(20_000)] = (byte) random.nextInt(256);
            }
            Files.write(damaged, copy);

            Throwable thrown = catchThrowable(() -> GgufReader.read(damaged));

            assertThat(thrown).as("round %d", round).satisfiesAnyOf(
                    error -> assertThat(error).isNull(),
                    error -> assertThat(error).isInstanceOf(GgufFormatException.class));
        }
    }
}
