package dev.plugai.core.runners.llamacpp;

import de.kherud.llama.LlamaModel;
import de.kherud.llama.ModelParameters;
import dev.plugai.core.backends.LoadedModel;
import dev.plugai.core.backends.LocalRunner;
import dev.plugai.core.backends.ModelLoadException;
import dev.plugai.core.backends.RunnerSettings;
import dev.plugai.core.models.gguf.GgufFile;
import dev.plugai.core.models.gguf.GgufFormatException;
import dev.plugai.core.models.gguf.GgufReader;
import dev.plugai.core.models.gguf.GgufSummary;

import java.io.IOException;
import java.nio.file.Path;
import java.util.function.DoubleConsumer;

/**
 * Runs GGUF models in-process through llama.cpp ({@code de.kherud:llama}). Every file is read and
 * validated by {@link GgufReader} first, so a malformed file or an architecture the bundled llama.cpp
 * does not know fails with a clear {@link ModelLoadException} before native code sees it.
 *
 * <p>Note for launchers: llama.cpp's native threads outlive a closed model and keep the JVM alive, so a
 * process that loaded a model must end with {@code System.exit}. Stateless and thread-safe.
 */
public final class LlamaCppRunner implements LocalRunner {

    /** The automatic context size never exceeds this, whatever the model was trained for. */
    static final int MAX_AUTOMATIC_CONTEXT = 4096;

    private final int availableCores;

    public LlamaCppRunner() {
        this(Runtime.getRuntime().availableProcessors());
    }

    /** @param availableCores the CPU threads to decode with when the settings leave it automatic */
    public LlamaCppRunner(int availableCores) {
        this.availableCores = Math.max(1, availableCores);
    }

    @Override
    public String format() {
        return "gguf";
    }

    @Override
    public LoadedModel load(Path path, RunnerSettings settings, DoubleConsumer progress) {
        progress.accept(0);
        GgufFile gguf = validate(path);
        progress.accept(0.05);
        int slots = Math.max(1, settings.parallelSlots());
        int contextPerSlot = settings.contextSize() > 0 ? settings.contextSize()
                : Math.min(gguf.summary().contextLength().orElse(MAX_AUTOMATIC_CONTEXT), MAX_AUTOMATIC_CONTEXT);
        ModelParameters parameters = new ModelParameters()
                .setModel(path.toAbsolutePath().toString())
                .setThreads(settings.threads() > 0 ? settings.threads() : availableCores)
                .setCtxSize(contextPerSlot * slots)
                .setParallel(slots)
                .enableJinja()
                // llama.cpp's warm-up decode runs on the loading thread and every later decode on the server
                // loop's: two OpenMP teams then share the cores, libgomp cuts its barrier spinning, and decoding
                // ran ~28% below llama-bench on the same build (docs/benchmarks.md). Without it: within 2%.
                .skipWarmup()
                // llama.cpp prints its load report straight to stderr otherwise, bypassing NativeLog.
                .disableLog();
        if (settings.gpuLayers() > 0) {
            parameters.setGpuLayers(settings.gpuLayers());
        }
        if (gguf.summary().embedding()) {
            parameters.enableEmbedding();
        }
        NativeLog.install();
        LlamaModel model;
        try {
            model = new LlamaModel(parameters);
        } catch (RuntimeException | LinkageError e) {
            throw new ModelLoadException("llama.cpp could not load '" + path.getFileName() + "': "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()), e);
        }
        progress.accept(1);
        return new LlamaCppModel(model, gguf, contextPerSlot * slots);
    }

    private static GgufFile validate(Path path) {
        GgufFile gguf;
        try {
            gguf = GgufReader.read(path);
        } catch (GgufFormatException e) {
            throw new ModelLoadException("'" + path.getFileName() + "' is not a valid GGUF file: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new ModelLoadException("cannot read '" + path.getFileName() + "': " + e.getMessage(), e);
        }
        GgufSummary summary = gguf.summary();
        if (summary.multimodalProjector()) {
            throw new ModelLoadException("'" + path.getFileName()
                    + "' is a multimodal projector (mmproj) that belongs beside a model, not a model of its own");
        }
        if (!SupportedArchitectures.contains(summary.architecture())) {
            throw new ModelLoadException("unsupported architecture '" + summary.architecture()
                    + "': the bundled llama.cpp (" + SupportedArchitectures.LLAMA_CPP_BUILD + ") cannot run it");
        }
        if (summary.split().isPresent() && summary.split().get().number() != 0) {
            throw new ModelLoadException("'" + path.getFileName() + "' is shard " + (summary.split().get().number() + 1)
                    + " of " + summary.split().get().count() + ": load the first shard");
        }
        return gguf;
    }
}
