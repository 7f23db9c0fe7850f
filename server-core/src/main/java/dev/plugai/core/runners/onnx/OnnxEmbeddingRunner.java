package dev.plugai.core.runners.onnx;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.engine.EngineException;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import dev.plugai.core.backends.LoadedModel;
import dev.plugai.core.backends.LocalRunner;
import dev.plugai.core.backends.ModelLoadException;
import dev.plugai.core.backends.RunnerSettings;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleConsumer;

/**
 * Runs sentence-embedding models exported to ONNX in-process, through DJL's ONNX Runtime engine and the
 * Hugging Face tokenizer. Stateless and thread-safe; each loaded model states its own thread-safety.
 */
public final class OnnxEmbeddingRunner implements LocalRunner {

    static final String ENGINE = "OnnxRuntime";

    public OnnxEmbeddingRunner() {
        // DJL downloads engine natives and phones home from EC2 unless told otherwise; every native we need
        // is in a jar on the class path, so offline is the only honest mode. An operator's explicit
        // setting wins.
        System.getProperties().putIfAbsent("ai.djl.offline", "true");
        System.getProperties().putIfAbsent("OPT_OUT_TRACKING", "true");
    }

    @Override
    public String format() {
        return "onnx";
    }

    /**
     * Loads the model folder at {@code path}. Progress: 0.1 after reading the folder, 0.3 after the
     * tokenizer, 0.8 after ONNX Runtime built its session, 1 after a first embedding checked the output.
     */
    @Override
    public LoadedModel load(Path path, RunnerSettings settings, DoubleConsumer progress) {
        progress.accept(0);
        OnnxModelFolder folder = OnnxModelFolder.read(path);
        progress.accept(0.1);
        HuggingFaceTokenizer tokenizer = tokenizer(folder);
        progress.accept(0.3);
        Model model;
        try {
            model = model(folder, settings);
        } catch (RuntimeException e) {
            tokenizer.close();
            throw e;
        }
        progress.accept(0.8);
        OnnxLoadedModel loaded = new OnnxLoadedModel(folder, tokenizer, model);
        try {
            loaded.checkOutput();
        } catch (RuntimeException e) {
            loaded.close();
            throw e;
        }
        progress.accept(1);
        return loaded;
    }

    private static HuggingFaceTokenizer tokenizer(OnnxModelFolder folder) {
        String maxLength = Integer.toString(folder.maxTokens());
        // Truncate at the model's limit and pad only to the longest input of a batch, whatever padding the
        // exported tokenizer.json carries (sentence-transformers exports often pad to a fixed 128).
        Map<String, String> options = Map.of(
                "truncation", "true",
                "padding", "true",
                "maxLength", maxLength,
                "modelMaxLength", maxLength,
                "addSpecialTokens", "true");
        try {
            return HuggingFaceTokenizer.newInstance(folder.tokenizerFile(), options);
        } catch (IOException | RuntimeException e) {
            throw new ModelLoadException("tokenizer.json of " + folder.folder() + " cannot be loaded: "
                    + e.getMessage(), e);
        }
    }

    private static Model model(OnnxModelFolder folder, RunnerSettings settings) {
        Model model = Model.newInstance(folder.folder().getFileName().toString(), Device.cpu(), ENGINE);
        try {
            model.load(folder.modelFile(), null, sessionOptions(settings));
            return model;
        } catch (MalformedModelException | IOException | EngineException e) {
            model.close();
            throw new ModelLoadException(folder.modelFile().getFileName() + " of " + folder.folder()
                    + " cannot be loaded by ONNX Runtime: " + rootMessage(e), e);
        }
    }

    private static Map<String, String> sessionOptions(RunnerSettings settings) {
        if (settings.threads() <= 0) {
            return Map.of(); // ONNX Runtime picks one thread per physical core
        }
        // Both keys always: DJL 0.38 applies the intra-op count only when the inter-op count is set. The
        // graph runs sequentially, so one inter-op thread is all it uses.
        return Map.of(
                "interOpNumThreads", "1",
                "intraOpNumThreads", Integer.toString(settings.threads()));
    }

    static String rootMessage(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage();
        return message == null ? root.getClass().getSimpleName() : message.strip();
    }

    static List<String> requireInputs(List<String> inputs) {
        if (inputs == null || inputs.isEmpty()) {
            throw new IllegalArgumentException("give at least one input to embed");
        }
        return inputs;
    }
}
