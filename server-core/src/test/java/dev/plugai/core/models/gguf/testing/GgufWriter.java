package dev.plugai.core.models.gguf.testing;

import dev.plugai.core.models.gguf.GgufTensorType;
import dev.plugai.core.models.gguf.GgufValueType;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes GGUF files (version 3, little-endian) for tests: typed metadata, F32/F16 tensors streamed from
 * a generator (so a file of hundreds of megabytes needs no heap), and deliberate lies about counts,
 * types and offsets to prove a reader rejects them. Not thread-safe.
 */
public final class GgufWriter {

    /** Produces the value of a tensor's element {@code index} (row-major, innermost dimension first). */
    @FunctionalInterface
    public interface Elements {
        float at(long index);
    }

    private record Tensor(String name, GgufTensorType type, long[] dimensions, Elements elements) {
        long byteSize() {
            long count = 1;
            for (long dimension : dimensions) {
                count *= dimension;
            }
            return type.bytesFor(count);
        }
    }

    private final Map<String, byte[]> metadata = new LinkedHashMap<>();
    private final List<Tensor> tensors = new ArrayList<>();
    private final Map<String, Long> offsetOverrides = new HashMap<>();
    private final Map<String, Integer> typeOverrides = new HashMap<>();
    private final Map<String, long[]> dimensionOverrides = new HashMap<>();
    private int magic = 0x46554747;
    private int version = 3;
    private int alignment = 32;
    private Long declaredKvCount;
    private Long declaredTensorCount;

    public GgufWriter putString(String key, String value) {
        return putRaw(key, GgufValueType.STRING, string(value));
    }

    public GgufWriter putUInt32(String key, long value) {
        if ("general.alignment".equals(key)) {
            alignment = (int) value;
        }
        return putRaw(key, GgufValueType.UINT32, le32((int) value));
    }

    public GgufWriter putInt32(String key, int value) {
        return putRaw(key, GgufValueType.INT32, le32(value));
    }

    public GgufWriter putUInt64(String key, long value) {
        return putRaw(key, GgufValueType.UINT64, le64(value));
    }

    public GgufWriter putFloat32(String key, float value) {
        return putRaw(key, GgufValueType.FLOAT32, le32(Float.floatToRawIntBits(value)));
    }

    public GgufWriter putBool(String key, boolean value) {
        return putRaw(key, GgufValueType.BOOL, new byte[] {(byte) (value ? 1 : 0)});
    }

    public GgufWriter putStrings(String key, List<String> values) {
        ByteArrayOutputStream out = arrayHeader(GgufValueType.STRING, values.size());
        values.forEach(value -> out.writeBytes(string(value)));
        return putRaw(key, GgufValueType.ARRAY, out.toByteArray());
    }

    public GgufWriter putFloats(String key, float[] values) {
        ByteArrayOutputStream out = arrayHeader(GgufValueType.FLOAT32, values.length);
        for (float value : values) {
            out.writeBytes(le32(Float.floatToRawIntBits(value)));
        }
        return putRaw(key, GgufValueType.ARRAY, out.toByteArray());
    }

    public GgufWriter putInts(String key, int[] values) {
        ByteArrayOutputStream out = arrayHeader(GgufValueType.INT32, values.length);
        for (int value : values) {
            out.writeBytes(le32(value));
        }
        return putRaw(key, GgufValueType.ARRAY, out.toByteArray());
    }

    /** A metadata entry with hand-made value bytes, for values no valid writer would produce. */
    public GgufWriter putRaw(String key, GgufValueType type, byte[] valueBytes) {
        metadata.put(key, concat(le32(type.id()), valueBytes));
        return this;
    }

    /** Like {@link #putRaw(String, GgufValueType, byte[])} but with any type id, even an unknown one. */
    public GgufWriter putRaw(String key, int typeId, byte[] valueBytes) {
        metadata.put(key, concat(le32(typeId), valueBytes));
        return this;
    }

    public GgufWriter tensor(String name, GgufTensorType type, long[] dimensions, Elements elements) {
        if (type != GgufTensorType.F32 && type != GgufTensorType.F16) {
            throw new IllegalArgumentException("the writer stores F32 or F16 tensors only");
        }
        tensors.add(new Tensor(name, type, dimensions.clone(), elements));
        return this;
    }

    public GgufWriter magic(int magic) {
        this.magic = magic;
        return this;
    }

    public GgufWriter version(int version) {
        this.version = version;
        return this;
    }

    /** Declares this many metadata entries in the header, whatever is written. */
    public GgufWriter declareKvCount(long count) {
        this.declaredKvCount = count;
        return this;
    }

    public GgufWriter declareTensorCount(long count) {
        this.declaredTensorCount = count;
        return this;
    }

    /** Declares this data offset for the named tensor instead of where its data really is. */
    public GgufWriter declareTensorOffset(String name, long offset) {
        offsetOverrides.put(name, offset);
        return this;
    }

    public GgufWriter declareTensorType(String name, int typeId) {
        typeOverrides.put(name, typeId);
        return this;
    }

    /** Declares these dimensions for the named tensor while writing its real data. */
    public GgufWriter declareTensorDimensions(String name, long[] dimensions) {
        dimensionOverrides.put(name, dimensions.clone());
        return this;
    }

    public Path write(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            head.writeBytes(le32(magic));
            head.writeBytes(le32(version));
            head.writeBytes(le64(declaredTensorCount != null ? declaredTensorCount : tensors.size()));
            head.writeBytes(le64(declaredKvCount != null ? declaredKvCount : metadata.size()));
            metadata.forEach((key, typeAndValue) -> {
                head.writeBytes(string(key));
                head.writeBytes(typeAndValue);
            });
            long offset = 0;
            for (Tensor tensor : tensors) {
                head.writeBytes(string(tensor.name()));
                long[] dimensions = dimensionOverrides.getOrDefault(tensor.name(), tensor.dimensions());
                head.writeBytes(le32(dimensions.length));
                for (long dimension : dimensions) {
                    head.writeBytes(le64(dimension));
                }
                head.writeBytes(le32(typeOverrides.getOrDefault(tensor.name(), tensor.type().id())));
                head.writeBytes(le64(offsetOverrides.getOrDefault(tensor.name(), offset)));
                offset = align(offset + tensor.byteSize());
            }
            head.writeBytes(new byte[(int) (align(head.size()) - head.size())]);
            channel.write(ByteBuffer.wrap(head.toByteArray()));
            for (Tensor tensor : tensors) {
                writeData(channel, tensor);
            }
        }
        return file;
    }

    private void writeData(FileChannel channel, Tensor tensor) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
        long count = tensor.byteSize() / (tensor.type() == GgufTensorType.F32 ? 4 : 2);
        for (long i = 0; i < count; i++) {
            if (buffer.remaining() < 4) {
                drain(channel, buffer);
            }
            float value = tensor.elements().at(i);
            if (tensor.type() == GgufTensorType.F32) {
                buffer.putFloat(value);
            } else {
                buffer.putShort(Float.floatToFloat16(value));
            }
        }
        long padding = align(tensor.byteSize()) - tensor.byteSize();
        if (buffer.remaining() < padding) {
            drain(channel, buffer);
        }
        for (long i = 0; i < padding; i++) {
            buffer.put((byte) 0);
        }
        drain(channel, buffer);
    }

    private static void drain(FileChannel channel, ByteBuffer buffer) throws IOException {
        buffer.flip();
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
        buffer.clear();
    }

    private long align(long position) {
        return (position + alignment - 1) / alignment * alignment;
    }

    private static ByteArrayOutputStream arrayHeader(GgufValueType elementType, long length) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(le32(elementType.id()));
        out.writeBytes(le64(length));
        return out;
    }

    /** A GGUF string: its UTF-8 length as a little-endian uint64, then the bytes. */
    public static byte[] string(String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        return concat(le64(bytes.length), bytes);
    }

    public static byte[] le32(int value) {
        return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(value).array();
    }

    public static byte[] le64(long value) {
        return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(value).array();
    }

    public static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
