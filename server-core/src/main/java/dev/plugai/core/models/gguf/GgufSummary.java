package dev.plugai.core.models.gguf;

import dev.plugai.core.backends.SamplingParameters;

import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * The facts about a GGUF model that discovery, the registry and runners use, derived from its
 * metadata and tensor table.
 *
 * @param architecture        {@code general.architecture}, e.g. {@code llama}
 * @param name                {@code general.name}
 * @param sizeLabel           {@code general.size_label}, e.g. {@code 7B}
 * @param contextLength       {@code <arch>.context_length}: the context the model was trained for
 * @param parameterCount      the sum over tensors of their element counts
 * @param quantization        from {@code general.file_type} (e.g. {@code Q4_K_M}), else the tensor type
 *                            holding most bytes
 * @param chatTemplate        {@code tokenizer.chat_template} (Jinja)
 * @param bosTokenId          {@code tokenizer.ggml.bos_token_id}
 * @param eosTokenId          {@code tokenizer.ggml.eos_token_id}
 * @param recommendedSampling the author's {@code general.sampling.*} values; unset fields are null
 * @param split               which shard of a split model this file is, if it is one
 * @param multimodalProjector an {@code mmproj} sidecar (vision encoder), not a model of its own
 * @param embedding           an embedding model (pooling declared or an encoder-only architecture)
 */
public record GgufSummary(String architecture, Optional<String> name, Optional<String> sizeLabel, OptionalInt contextLength,
                          long parameterCount, String quantization, Optional<String> chatTemplate, OptionalInt bosTokenId,
                          OptionalInt eosTokenId, SamplingParameters recommendedSampling, Optional<Split> split,
                          boolean multimodalProjector, boolean embedding) {

    private static final Set<String> EMBEDDING_ARCHITECTURES = Set.of("bert", "nomic-bert", "nomic-bert-moe",
            "jina-bert-v2", "t5encoder", "modern-bert", "neo-bert");

    /**
     * One shard of a model split over several files.
     *
     * @param number       zero-based {@code split.no}
     * @param count        {@code split.count}
     * @param tensorsCount {@code split.tensors.count}: tensors over all shards
     */
    public record Split(int number, int count, int tensorsCount) {
    }

    static GgufSummary derive(String fileName, Map<String, GgufValue> metadata, List<GgufTensorInfo> tensors) {
        Keys keys = new Keys(metadata);
        String architecture = keys.string("general.architecture").orElseThrow(
                () -> new GgufFormatException("general.architecture is missing"));
        boolean projector = fileName.toLowerCase(Locale.ROOT).startsWith("mmproj") || architecture.equals("clip");
        boolean embedding = keys.integer(architecture + ".pooling_type").isPresent()
                || EMBEDDING_ARCHITECTURES.contains(architecture);
        return new GgufSummary(architecture, keys.string("general.name"), keys.string("general.size_label"),
                keys.integer(architecture + ".context_length"), parameterCount(tensors), quantization(keys, tensors),
                keys.string("tokenizer.chat_template"), keys.integer("tokenizer.ggml.bos_token_id"),
                keys.integer("tokenizer.ggml.eos_token_id"), sampling(keys), split(keys), projector, embedding);
    }

    private static long parameterCount(List<GgufTensorInfo> tensors) {
        long count = 0;
        for (GgufTensorInfo tensor : tensors) {
            count += tensor.elementCount();
        }
        return count;
    }

    private static String quantization(Keys keys, List<GgufTensorInfo> tensors) {
        OptionalInt fileType = keys.integer("general.file_type");
        if (fileType.isPresent()) {
            Optional<String> named = FileTypeNames.name(fileType.getAsInt());
            if (named.isPresent()) {
                return named.get();
            }
        }
        Map<GgufTensorType, Long> bytesByType = new EnumMap<>(GgufTensorType.class);
        tensors.forEach(tensor -> bytesByType.merge(tensor.type(), tensor.byteSize(), Long::sum));
        return bytesByType.entrySet().stream().max(Comparator.comparingLong(Map.Entry::getValue))
                .map(entry -> entry.getKey().name()).orElse("unknown");
    }

    private static SamplingParameters sampling(Keys keys) {
        return new SamplingParameters(
                keys.number("general.sampling.temp", "general.sampling.temperature"),
                keys.number("general.sampling.top_p"),
                boxed(keys.integer("general.sampling.top_k")),
                keys.number("general.sampling.min_p"),
                null, null, List.of(),
                keys.number("general.sampling.penalty_repeat", "general.sampling.repeat_penalty"));
    }

    private static Optional<Split> split(Keys keys) {
        OptionalInt count = keys.integer("split.count");
        if (count.isEmpty() || count.getAsInt() <= 1) {
            return Optional.empty();
        }
        return Optional.of(new Split(keys.integer("split.no").orElse(0), count.getAsInt(),
                keys.integer("split.tensors.count").orElse(0)));
    }

    private static Integer boxed(OptionalInt value) {
        return value.isPresent() ? value.getAsInt() : null;
    }

    /** Typed look-ups that treat a key of the wrong type as absent. */
    private record Keys(Map<String, GgufValue> metadata) {

        Optional<String> string(String key) {
            return Optional.ofNullable(metadata.get(key)).flatMap(GgufValue::asString);
        }

        OptionalInt integer(String key) {
            Optional<Long> value = Optional.ofNullable(metadata.get(key)).flatMap(GgufValue::asLong);
            return value.filter(v -> v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE)
                    .map(v -> OptionalInt.of(v.intValue())).orElse(OptionalInt.empty());
        }

        Double number(String... aliases) {
            for (String key : aliases) {
                Optional<Double> value = Optional.ofNullable(metadata.get(key)).flatMap(GgufValue::asNumber);
                if (value.isPresent()) {
                    return value.get();
                }
            }
            return null;
        }
    }
}
