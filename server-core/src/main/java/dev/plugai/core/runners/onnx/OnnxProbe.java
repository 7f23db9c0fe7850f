package dev.plugai.core.runners.onnx;

import dev.plugai.core.backends.ModelLoadException;
import dev.plugai.core.registry.ModelProbe;
import dev.plugai.core.registry.ProbedModel;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Discovery's view of ONNX model folders as sentence-transformers and Optimum export them
 * ({@code model.onnx}, {@code tokenizer.json}, {@code config.json}): read from their configuration
 * alone, without starting ONNX Runtime.
 */
public final class OnnxProbe implements ModelProbe {

    @Override
    public String format() {
        return "onnx";
    }

    @Override
    public boolean accepts(Path path, boolean directory) {
        return directory && OnnxModelFolder.recognises(path);
    }

    @Override
    public ProbedModel probe(Path path) {
        OnnxModelSummary summary;
        try {
            summary = OnnxModelFolder.probe(path);
        } catch (ModelLoadException e) {
            throw new InvalidModelException(e.getMessage(), e);
        }
        return new ProbedModel("onnx", summary.name(), summary.sizeOnDiskBytes(), Optional.of(summary.modelType()),
                Optional.empty(), OptionalInt.of(summary.maxTokens()), OptionalLong.empty(), Set.of("text"),
                Set.of("embedding"), Set.of("embeddings"), Map.of(),
                Map.of("dimensions", summary.dimensions(), "pooling", summary.pooling().name().toLowerCase(Locale.ROOT),
                        "normalises", summary.normalises()));
    }
}
