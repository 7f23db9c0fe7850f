package dev.plugai.core.runners.onnx;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.plugai.core.backends.ModelLoadException;
import dev.plugai.core.json.JsonMappers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A sentence-embedding model folder as sentence-transformers or Optimum export it ({@code model.onnx} or
 * {@code onnx/model.onnx}, {@code tokenizer.json}, {@code config.json}, optionally {@code modules.json},
 * {@code sentence_bert_config.json} and a pooling folder), read without loading ONNX Runtime.
 *
 * @param folder        the model folder
 * @param modelFile     the ONNX graph
 * @param tokenizerFile the Hugging Face tokenizer
 * @param modelType     {@code model_type} from config.json, e.g. {@code bert}
 * @param dimensions    the length of each embedding (the hidden size)
 * @param maxTokens     inputs are truncated to this many tokens, special tokens included
 * @param pooling       how token states become one vector
 * @param normalises    whether the pipeline ends in a normalisation step (then vectors are always unit length)
 */
public record OnnxModelFolder(Path folder, Path modelFile, Path tokenizerFile, String modelType, int dimensions,
                              int maxTokens, Pooling pooling, boolean normalises) {

    private static final ObjectMapper JSON = JsonMappers.create();
    private static final int DEFAULT_MAX_TOKENS = 512;
    /** RoBERTa-style models count positions from padding_idx + 1, so two positions are never usable. */
    private static final Set<String> OFFSET_POSITION_TYPES =
            Set.of("roberta", "xlm-roberta", "camembert", "longformer", "mpnet");

    /** Whether the folder holds an ONNX model at all; a cheap check for model discovery. */
    public static boolean recognises(Path folder) {
        return findModelFile(folder).isPresent();
    }

    /**
     * Reads a model folder's configuration.
     *
     * @throws ModelLoadException naming what is missing or unreadable
     */
    public static OnnxModelFolder read(Path folder) {
        if (!Files.isDirectory(folder)) {
            throw new ModelLoadException(folder + " is not a folder: an ONNX embedding model is a folder with"
                    + " model.onnx, tokenizer.json and config.json");
        }
        Path modelFile = findModelFile(folder).orElseThrow(() -> new ModelLoadException(
                "no model.onnx (nor onnx/model.onnx) in " + folder));
        Path tokenizerFile = required(folder, "tokenizer.json");
        JsonNode config = readJson(required(folder, "config.json"));
        String modelType = config.path("model_type").asText("unknown").toLowerCase(Locale.ROOT);

        List<JsonNode> modules = optionalJson(folder.resolve("modules.json"))
                .map(node -> {
                    List<JsonNode> list = new ArrayList<>();
                    node.forEach(list::add);
                    return list;
                })
                .orElse(List.of());
        Optional<JsonNode> poolingConfig = poolingFolder(modules)
                .flatMap(path -> optionalJson(folder.resolve(path).resolve("config.json")));
        boolean normalises = modules.stream().anyMatch(module -> moduleIs(module, "Normalize"));

        int dimensions = firstInt(config, "hidden_size", "d_model", "dim")
                .or(() -> poolingConfig.flatMap(node -> firstInt(node, "word_embedding_dimension")))
                .orElseThrow(() -> new ModelLoadException(
                        "config.json in " + folder + " gives no hidden_size, so the embedding length is unknown"));
        Pooling pooling = poolingConfig.map(node -> poolingOf(node, folder)).orElse(Pooling.MEAN);
        return new OnnxModelFolder(folder, modelFile, tokenizerFile, modelType, dimensions,
                maxTokens(folder, config, modelType), pooling, normalises);
    }

    /**
     * What the model registry shows about a model folder, read without loading ONNX Runtime.
     *
     * @throws ModelLoadException naming what is missing or unreadable
     */
    public static OnnxModelSummary probe(Path folder) {
        OnnxModelFolder model = read(folder);
        return new OnnxModelSummary(folder.getFileName().toString(), model.modelType, model.dimensions,
                model.maxTokens, model.pooling, model.normalises, sizeOnDisk(folder));
    }

    /** The bytes of the weights ONNX Runtime maps: the graph plus its external data file, if any. */
    long weightBytes() {
        long bytes = sizeOf(modelFile);
        for (String suffix : List.of("_data", ".data")) {
            Path external = modelFile.resolveSibling(modelFile.getFileName() + suffix);
            if (Files.isRegularFile(external)) {
                bytes += sizeOf(external);
            }
        }
        return bytes;
    }

    private static Optional<Path> findModelFile(Path folder) {
        return Stream.of(folder.resolve("model.onnx"), folder.resolve("onnx").resolve("model.onnx"))
                .filter(Files::isRegularFile)
                .findFirst();
    }

    private static Path required(Path folder, String name) {
        Path file = folder.resolve(name);
        if (!Files.isRegularFile(file)) {
            throw new ModelLoadException(name + " is missing from " + folder
                    + ": export the model together with its tokenizer and configuration");
        }
        return file;
    }

    private static JsonNode readJson(Path file) {
        try {
            return JSON.readTree(file.toFile());
        } catch (JacksonException e) {
            throw new ModelLoadException(file.getFileName() + " in " + file.getParent()
                    + " is not valid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new ModelLoadException(file + " cannot be read: " + e.getMessage(), e);
        }
    }

    private static Optional<JsonNode> optionalJson(Path file) {
        return Files.isRegularFile(file) ? Optional.of(readJson(file)) : Optional.empty();
    }

    private static Optional<String> poolingFolder(List<JsonNode> modules) {
        if (modules.isEmpty()) {
            return Optional.of("1_Pooling"); // the folder name sentence-transformers gives it
        }
        return modules.stream()
                .filter(module -> moduleIs(module, "Pooling"))
                .map(module -> module.path("path").asText())
                .findFirst();
    }

    private static boolean moduleIs(JsonNode module, String simpleName) {
        return module.path("type").asText().endsWith("." + simpleName);
    }

    private static Pooling poolingOf(JsonNode config, Path folder) {
        String named = config.path("pooling_mode").asText("");
        if (!named.isEmpty()) {
            return switch (named) {
                case "mean" -> Pooling.MEAN;
                case "cls" -> Pooling.CLS;
                case "max" -> Pooling.MAX;
                case "lasttoken" -> Pooling.LAST_TOKEN;
                default -> throw unsupportedPooling(named, folder);
            };
        }
        List<String> modes = new ArrayList<>();
        config.properties().forEach(entry -> {
            if (entry.getKey().startsWith("pooling_mode_") && entry.getValue().asBoolean(false)) {
                modes.add(entry.getKey().substring("pooling_mode_".length()));
            }
        });
        if (modes.isEmpty()) {
            return Pooling.MEAN;
        }
        if (modes.size() > 1) {
            throw unsupportedPooling(String.join(" + ", modes), folder);
        }
        return switch (modes.getFirst()) {
            case "mean_tokens" -> Pooling.MEAN;
            case "cls_token" -> Pooling.CLS;
            case "max_tokens" -> Pooling.MAX;
            case "lasttoken" -> Pooling.LAST_TOKEN;
            default -> throw unsupportedPooling(modes.getFirst(), folder);
        };
    }

    private static ModelLoadException unsupportedPooling(String mode, Path folder) {
        return new ModelLoadException("pooling '" + mode + "' of " + folder
                + " is not supported (mean, cls, max and last-token pooling are)");
    }

    private static int maxTokens(Path folder, JsonNode config, String modelType) {
        int limit = firstInt(config, "max_position_embeddings", "n_positions")
                .map(positions -> OFFSET_POSITION_TYPES.contains(modelType) ? positions - 2 : positions)
                .orElse(DEFAULT_MAX_TOKENS);
        Optional<Integer> sequence = optionalJson(folder.resolve("sentence_bert_config.json"))
                .flatMap(node -> firstInt(node, "max_seq_length"));
        return sequence.map(length -> Math.min(length, limit)).orElse(limit);
    }

    private static Optional<Integer> firstInt(JsonNode node, String... names) {
        for (String name : names) {
            JsonNode value = node.get(name);
            if (value != null && value.canConvertToInt() && value.asInt() > 0) {
                return Optional.of(value.asInt());
            }
        }
        return Optional.empty();
    }

    private static long sizeOnDisk(Path folder) {
        try (Stream<Path> files = Files.walk(folder)) {
            return files.filter(Files::isRegularFile).mapToLong(OnnxModelFolder::sizeOf).sum();
        } catch (IOException e) {
            throw new ModelLoadException(folder + " cannot be listed: " + e.getMessage(), e);
        }
    }

    private static long sizeOf(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
