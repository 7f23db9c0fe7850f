package dev.plugai.core.runners.onnx;

import ai.djl.Model;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import dev.plugai.core.backends.Embedder;
import dev.plugai.core.backends.LoadedModel;
import dev.plugai.core.backends.ModelLoadException;
import dev.plugai.core.backends.TextGenerator;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * An ONNX sentence-embedding model held by ONNX Runtime: embeddings only. Thread-safe for concurrent
 * embedding calls; {@link #close()} must follow the last of them.
 */
final class OnnxLoadedModel implements LoadedModel {

    /**
     * Resident memory per byte of weights: ONNX Runtime keeps the weights (about 1x, pre-packed for the
     * CPU kernels) plus arena-allocated activations, which for a batch of 32 short inputs stay well under
     * half the weights of a MiniLM-sized model.
     */
    private static final double MEMORY_PER_WEIGHT_BYTE = 1.5;

    private final OnnxModelFolder folder;
    private final HuggingFaceTokenizer tokenizer;
    private final Model model;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final OnnxEmbedder embedder;
    private final long memoryBytes;

    OnnxLoadedModel(OnnxModelFolder folder, HuggingFaceTokenizer tokenizer, Model model) {
        this.folder = folder;
        this.tokenizer = tokenizer;
        this.model = model;
        // Measured once: the files may be moved or deleted while the model stays in memory.
        this.memoryBytes = (long) (folder.weightBytes() * MEMORY_PER_WEIGHT_BYTE);
        this.embedder = new OnnxEmbedder(folder, tokenizer, model, closed::get);
    }

    /** Runs one input through the graph so a model that does not fit its config fails at load, not later. */
    void checkOutput() {
        int length;
        try {
            length = embedder.embed(List.of("ready"), false).vectors().getFirst().length;
        } catch (RuntimeException e) {
            throw new ModelLoadException(folder.modelFile().getFileName() + " of " + folder.folder()
                    + " does not run as a sentence-embedding model: " + OnnxEmbeddingRunner.rootMessage(e), e);
        }
        if (length != folder.dimensions()) {
            throw new ModelLoadException(folder.folder() + " yields " + length
                    + "-long vectors but its config.json says the hidden size is " + folder.dimensions());
        }
    }

    @Override
    public Optional<TextGenerator> textGenerator() {
        return Optional.empty();
    }

    @Override
    public Optional<Embedder> embedder() {
        return Optional.of(embedder);
    }

    @Override
    public long memoryBytes() {
        return memoryBytes;
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            try {
                model.close();
            } finally {
                tokenizer.close();
            }
        }
    }
}
