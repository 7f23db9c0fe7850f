package dev.plugai.core.models.gguf;

import java.util.Arrays;

/**
 * Where one tensor lives in a GGUF file.
 *
 * @param name       e.g. {@code blk.0.attn_q.weight}
 * @param dimensions element counts, innermost (row length) first, as ggml orders them
 * @param type       how the elements are stored
 * @param offset     byte offset from the start of the tensor data section
 * @param byteSize   bytes the data takes, from type and dimensions
 */
public record GgufTensorInfo(String name, long[] dimensions, GgufTensorType type, long offset, long byteSize) {

    public GgufTensorInfo {
        dimensions = dimensions.clone();
    }

    @Override
    public long[] dimensions() {
        return dimensions.clone();
    }

    /** The number of elements, the product of the dimensions. */
    public long elementCount() {
        long count = 1;
        for (long dimension : dimensions) {
            count *= dimension;
        }
        return count;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof GgufTensorInfo that && name.equals(that.name) && Arrays.equals(dimensions, that.dimensions)
                && type == that.type && offset == that.offset && byteSize == that.byteSize;
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(dimensions);
    }

    @Override
    public String toString() {
        return name + Arrays.toString(dimensions) + " " + type + " @" + offset;
    }
}
