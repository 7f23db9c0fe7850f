package dev.plugai.core.registry;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;

/**
 * What a {@link ModelProbe} learned about a model file or folder without loading it.
 *
 * @param format              the runner format, e.g. {@code gguf} or {@code onnx}
 * @param name                a human name (from the file's metadata, else its file name)
 * @param sizeBytes           bytes on disk (all parts of a split model)
 * @param architecture        e.g. {@code llama}, {@code qwen2}, {@code bert}
 * @param quantization        e.g. {@code Q4_K_M}, {@code F16}
 * @param contextLength       the trained context length in tokens
 * @param parameterCount      the number of weights
 * @param modalitiesIn        e.g. {@code text}, {@code image}
 * @param modalitiesOut       e.g. {@code text}, {@code embedding}
 * @param capabilities        e.g. {@code chat}, {@code completion}, {@code embeddings}, {@code vision}
 * @param recommendedSampling sampling defaults the model's authors recommend ({@code temperature}, {@code top_p}, ...)
 * @param details             further facts worth showing (size label, chat template present, dimensions, ...)
 * @param modelFile           the file a runner loads, when it is not the one discovered (e.g. the blob an
 *                            Ollama manifest points to)
 */
public record ProbedModel(String format, String name, long sizeBytes, Optional<String> architecture,
                          Optional<String> quantization, OptionalInt contextLength, OptionalLong parameterCount,
                          Set<String> modalitiesIn, Set<String> modalitiesOut, Set<String> capabilities,
                          Map<String, Object> recommendedSampling, Map<String, Object> details,
                          Optional<Path> modelFile) {

    public ProbedModel(String format, String name, long sizeBytes, Optional<String> architecture,
                       Optional<String> quantization, OptionalInt contextLength, OptionalLong parameterCount,
                       Set<String> modalitiesIn, Set<String> modalitiesOut, Set<String> capabilities,
                       Map<String, Object> recommendedSampling, Map<String, Object> details) {
        this(format, name, sizeBytes, architecture, quantization, contextLength, parameterCount, modalitiesIn,
                modalitiesOut, capabilities, recommendedSampling, details, Optional.empty());
    }

    /** The same facts, naming the file a runner must load. */
    public ProbedModel withModelFile(Path file) {
        return new ProbedModel(format, name, sizeBytes, architecture, quantization, contextLength, parameterCount,
                modalitiesIn, modalitiesOut, capabilities, recommendedSampling, details, Optional.of(file));
    }

    public ProbedModel {
        modalitiesIn = Set.copyOf(modalitiesIn);
        modalitiesOut = Set.copyOf(modalitiesOut);
        capabilities = Set.copyOf(capabilities);
        recommendedSampling = Map.copyOf(recommendedSampling);
        details = Map.copyOf(details);
    }
}
