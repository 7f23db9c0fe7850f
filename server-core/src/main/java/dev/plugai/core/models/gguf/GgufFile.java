package dev.plugai.core.models.gguf;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a GGUF file declares, validated against its size: the header, the metadata, the tensor table
 * and the facts derived from them.
 *
 * @param version    GGUF version, 2 or 3
 * @param fileSize   bytes in the file
 * @param alignment  {@code general.alignment}, 32 by default
 * @param dataOffset where the tensor data section starts
 * @param metadata   every key in file order; long arrays are summarised (see {@link GgufValue.Array})
 * @param tensors    every tensor in file order
 * @param summary    the derived facts a registry and a runner need
 */
public record GgufFile(int version, long fileSize, int alignment, long dataOffset, Map<String, GgufValue> metadata,
                       List<GgufTensorInfo> tensors, GgufSummary summary) {

    public GgufFile {
        metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
        tensors = List.copyOf(tensors);
    }

    /** An integer metadata value, if the key is present and holds one. */
    public Optional<Long> integer(String key) {
        return Optional.ofNullable(metadata.get(key)).flatMap(GgufValue::asLong);
    }

    /** A string metadata value, if the key is present and holds one. */
    public Optional<String> string(String key) {
        return Optional.ofNullable(metadata.get(key)).flatMap(GgufValue::asString);
    }
}
