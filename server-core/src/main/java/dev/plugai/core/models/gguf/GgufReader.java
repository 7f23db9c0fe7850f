package dev.plugai.core.models.gguf;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads and validates a GGUF file's header, metadata and tensor table (versions 2 and 3, little-endian)
 * without loading tensor data. Whatever a file declares is checked against its real size before it is
 * used, so a crafted file ends in a {@link GgufFormatException} and never reaches a runner. Stateless
 * and thread-safe.
 */
public final class GgufReader {

    private static final int MAGIC = 0x46554747; // "GGUF" read little-endian
    private static final int DEFAULT_ALIGNMENT = 32;
    private static final int MAX_KEY_BYTES = 65_535;
    private static final int MAX_STRING_BYTES = 16 * 1024 * 1024;
    /** ggml's GGML_MAX_NAME is 64 bytes including the terminating NUL. */
    private static final int MAX_TENSOR_NAME_BYTES = 63;
    private static final int MAX_DIMENSIONS = 4;
    /** Arrays longer than this (vocabularies, merges) are read past, not kept. */
    private static final int MAX_KEPT_ELEMENTS = 1024;
    /** Smallest possible metadata entry: empty key, type, one byte of value. */
    private static final int MIN_KV_BYTES = 8 + 4 + 1;
    /** Smallest possible tensor entry: empty name, dimension count, one dimension, type, offset. */
    private static final int MIN_TENSOR_BYTES = 8 + 4 + 8 + 4 + 8;

    private GgufReader() {
    }

    /**
     * Reads the file at {@code path}.
     *
     * @throws GgufFormatException when the file is not a valid GGUF file, with the reason
     * @throws IOException         when the file cannot be read at all
     */
    public static GgufFile read(Path path) throws IOException {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            GgufInput in = new GgufInput(channel);
            return read(in, String.valueOf(path.getFileName()));
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private static GgufFile read(GgufInput in, String fileName) {
        int magic = in.i32("magic");
        if (magic != MAGIC) {
            throw new GgufFormatException("not a GGUF file (bad magic 0x%08X)".formatted(Integer.reverseBytes(magic)));
        }
        int version = checkVersion(in.i32("version"));
        long tensorCount = count(in.i64("tensor count"), in.remaining() / MIN_TENSOR_BYTES, "tensor count");
        long kvCount = count(in.i64("metadata count"), in.remaining() / MIN_KV_BYTES, "metadata count");

        Map<String, GgufValue> metadata = new LinkedHashMap<>();
        for (long i = 0; i < kvCount; i++) {
            String key = in.string("metadata key #" + i, MAX_KEY_BYTES);
            GgufValueType type = GgufValueType.byId(in.u32("type of '" + key + "'"));
            if (metadata.put(key, readValue(in, type, "'" + key + "'", true)) != null) {
                throw new GgufFormatException("metadata key '" + key + "' appears twice");
            }
        }
        int alignment = alignment(metadata);
        List<GgufTensorInfo> tensors = readTensorInfos(in, tensorCount);
        long dataOffset = alignUp(in.position(), alignment);
        checkTensorData(tensors, alignment, dataOffset, in.size());
        Map<String, GgufValue> frozen = Collections.unmodifiableMap(metadata);
        return new GgufFile(version, in.size(), alignment, dataOffset, frozen, tensors,
                GgufSummary.derive(fileName, frozen, tensors));
    }

    private static int checkVersion(int version) {
        if (version == 2 || version == 3) {
            return version;
        }
        if (version == 0x02000000 || version == 0x03000000) {
            throw new GgufFormatException("big-endian GGUF files are not supported");
        }
        if (version == 1) {
            throw new GgufFormatException("GGUF version 1 is no longer supported (only versions 2 and 3)");
        }
        throw new GgufFormatException("unknown GGUF version " + Integer.toUnsignedString(version) + " (only 2 and 3 are supported)");
    }

    private static long count(long declared, long possible, String what) {
        if (declared < 0 || declared > possible) {
            throw new GgufFormatException(what + " " + Long.toUnsignedString(declared)
                    + " is absurd: the rest of the file could hold at most " + possible);
        }
        return declared;
    }

    private static GgufValue readValue(GgufInput in, GgufValueType type, String what, boolean keep) {
        return switch (type) {
            case UINT8 -> new GgufValue.Int(type, in.u8(what));
            case INT8 -> new GgufValue.Int(type, (byte) in.u8(what));
            case UINT16 -> new GgufValue.Int(type, in.u16(what));
            case INT16 -> new GgufValue.Int(type, (short) in.u16(what));
            case UINT32 -> new GgufValue.Int(type, in.u32(what));
            case INT32 -> new GgufValue.Int(type, in.i32(what));
            case UINT64, INT64 -> new GgufValue.Int(type, in.i64(what));
            case FLOAT32 -> new GgufValue.Float(type, in.f32(what));
            case FLOAT64 -> new GgufValue.Float(type, in.f64(what));
            case BOOL -> new GgufValue.Bool(in.u8(what) != 0);
            case STRING -> {
                if (keep) {
                    yield new GgufValue.Str(in.string(what, MAX_STRING_BYTES));
                }
                in.skipString(what);
                yield null;
            }
            case ARRAY -> readArray(in, what);
        };
    }

    private static GgufValue.Array readArray(GgufInput in, String what) {
        GgufValueType elementType = GgufValueType.byId(in.u32("element type of " + what));
        if (elementType == GgufValueType.ARRAY) {
            throw new GgufFormatException(what + " is an array of arrays, which GGUF readers do not support");
        }
        long length = count(in.i64("length of " + what), in.remaining() / elementType.minimumBytes(),
                "length of array " + what);
        boolean keep = length <= MAX_KEPT_ELEMENTS;
        if (!keep && elementType != GgufValueType.STRING) {
            long bytes = length * elementType.minimumBytes();
            in.require(bytes, what);
            in.skip(bytes);
            return new GgufValue.Array(elementType, length, List.of());
        }
        List<GgufValue> elements = new ArrayList<>(keep ? (int) length : 0);
        for (long i = 0; i < length; i++) {
            GgufValue element = readValue(in, elementType, what + "[" + i + "]", keep);
            if (keep) {
                elements.add(element);
            }
        }
        return new GgufValue.Array(elementType, length, elements);
    }

    private static int alignment(Map<String, GgufValue> metadata) {
        GgufValue value = metadata.get("general.alignment");
        if (value == null) {
            return DEFAULT_ALIGNMENT;
        }
        long alignment = value.asLong().orElseThrow(() -> new GgufFormatException("general.alignment is not an integer"));
        if (alignment <= 0 || alignment > (1 << 30) || Long.bitCount(alignment) != 1) {
            throw new GgufFormatException("general.alignment " + alignment + " is not a power of two");
        }
        return (int) alignment;
    }

    private static List<GgufTensorInfo> readTensorInfos(GgufInput in, long tensorCount) {
        List<GgufTensorInfo> tensors = new ArrayList<>((int) tensorCount);
        Set<String> names = new HashSet<>();
        for (long i = 0; i < tensorCount; i++) {
            String name = in.string("name of tensor #" + i, MAX_TENSOR_NAME_BYTES);
            if (!names.add(name)) {
                throw new GgufFormatException("tensor '" + name + "' appears twice");
            }
            tensors.add(readTensorInfo(in, name));
        }
        return List.copyOf(tensors);
    }

    private static GgufTensorInfo readTensorInfo(GgufInput in, String name) {
        String what = "tensor '" + name + "'";
        long dimensionCount = in.u32("dimension count of " + what);
        if (dimensionCount < 1 || dimensionCount > MAX_DIMENSIONS) {
            throw new GgufFormatException(what + " has " + dimensionCount + " dimensions (1 to 4 allowed)");
        }
        long[] dimensions = new long[(int) dimensionCount];
        long elements = 1;
        for (int d = 0; d < dimensions.length; d++) {
            dimensions[d] = in.i64("dimensions of " + what);
            if (dimensions[d] < 0) {
                throw new GgufFormatException(what + " has a negative dimension");
            }
            try {
                elements = Math.multiplyExact(elements, dimensions[d]);
            } catch (ArithmeticException e) {
                throw new GgufFormatException(what + " has more elements than fit in 64 bits");
            }
        }
        long typeId = in.u32("type of " + what);
        GgufTensorType type = GgufTensorType.byId(typeId);
        if (type == null) {
            throw new GgufFormatException(what + " has unknown tensor type " + typeId);
        }
        if (dimensions[0] % type.blockSize() != 0) {
            throw new GgufFormatException(what + " has rows of " + dimensions[0] + " elements, not a multiple of the "
                    + type + " block size " + type.blockSize());
        }
        long offset = in.i64("offset of " + what);
        long byteSize;
        try {
            byteSize = type.bytesFor(elements);
        } catch (ArithmeticException e) {
            throw new GgufFormatException(what + " is too large to exist");
        }
        return new GgufTensorInfo(name, dimensions, type, offset, byteSize);
    }

    private static void checkTensorData(List<GgufTensorInfo> tensors, int alignment, long dataOffset, long fileSize) {
        if (!tensors.isEmpty() && dataOffset > fileSize) {
            throw new GgufFormatException("the tensor data section starts past the end of the file");
        }
        long dataBytes = fileSize - dataOffset;
        for (GgufTensorInfo tensor : tensors) {
            if (tensor.offset() < 0 || tensor.offset() % alignment != 0) {
                throw new GgufFormatException("tensor '" + tensor.name() + "' has offset " + Long.toUnsignedString(tensor.offset())
                        + ", not a multiple of the alignment " + alignment);
            }
            if (tensor.offset() > dataBytes || tensor.byteSize() > dataBytes - tensor.offset()) {
                throw new GgufFormatException("tensor '" + tensor.name() + "' (" + tensor.byteSize() + " bytes at data offset "
                        + tensor.offset() + ") lies outside the file's " + dataBytes + " bytes of tensor data");
            }
        }
    }

    private static long alignUp(long position, int alignment) {
        return (position + alignment - 1) / alignment * alignment;
    }
}
