package dev.plugai.core.runners;

import dev.plugai.core.backends.LocalRunner;
import dev.plugai.core.registry.ModelProbe;
import dev.plugai.core.runners.llamacpp.GgufProbe;
import dev.plugai.core.runners.llamacpp.LlamaCppRunner;
import dev.plugai.core.runners.llamacpp.OllamaManifestProbe;
import dev.plugai.core.runners.onnx.OnnxEmbeddingRunner;
import dev.plugai.core.runners.onnx.OnnxProbe;

import java.util.List;

/**
 * The one place where local model formats are registered: each format's probe (for discovery) and
 * runner (for loading). Adding a format is a probe, a runner and a line here.
 */
public final class LocalFormats {

    private LocalFormats() {
    }

    /** The probes discovery asks, in order. */
    public static List<ModelProbe> probes() {
        return List.of(new GgufProbe(), new OllamaManifestProbe(), new OnnxProbe());
    }

    /** The runners that load local models, one per format. */
    public static List<LocalRunner> runners() {
        return List.of(new LlamaCppRunner(), new OnnxEmbeddingRunner());
    }
}
