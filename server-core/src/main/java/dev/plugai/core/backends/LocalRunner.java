package dev.plugai.core.backends;

import java.nio.file.Path;
import java.util.function.DoubleConsumer;

/**
 * Loads local model files of one format (GGUF through llama.cpp, ONNX through DJL, ...). Runners are
 * registered in one place; nothing else branches on formats.
 */
public interface LocalRunner {

    /** The format this runner loads, as recorded in the model registry, e.g. {@code gguf} or {@code onnx}. */
    String format();

    /**
     * Loads the model at {@code path} (a file or a folder, depending on the format).
     *
     * @param settings per-model settings (threads, context size, GPU layers, parallel slots)
     * @param progress receives load progress from 0 to 1
     * @throws ModelLoadException with a clear reason when the model cannot be loaded
     */
    LoadedModel load(Path path, RunnerSettings settings, DoubleConsumer progress);
}
