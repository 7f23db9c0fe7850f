package dev.plugai.core.runners.llamacpp;

import de.kherud.llama.LlamaModel;
import dev.plugai.core.backends.Embedder;
import dev.plugai.core.backends.LoadedModel;
import dev.plugai.core.backends.TextGenerator;
import dev.plugai.core.models.gguf.GgufFile;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A GGUF model held by llama.cpp: a text generator, or an embedder for embedding models. Thread-safe;
 * llama.cpp queues generations beyond its parallel slots.
 */
final class LlamaCppModel implements LoadedModel {

    private static final long KV_BYTES_PER_ELEMENT = 2; // f16 cache

    private final LlamaModel model;
    private final GgufFile gguf;
    private final int contextSize;
    private final AtomicBoolean closed = new AtomicBoolean();

    LlamaCppModel(LlamaModel model, GgufFile gguf, int contextSize) {
        this.model = model;
        this.gguf = gguf;
        this.contextSize = contextSize;
    }

    @Override
    public Optional<TextGenerator> textGenerator() {
        return gguf.summary().embedding() ? Optional.empty() : Optional.of(new LlamaCppGenerator(model, gguf, contextSize));
    }

    @Override
    public Optional<Embedder> embedder() {
        return gguf.summary().embedding() ? Optional.of(new LlamaCppEmbedder(model)) : Optional.empty();
    }

    /** The file (mapped weights) plus the K and V caches: 2 × layers × context × KV heads × head size × 2 bytes. */
    @Override
    public long memoryBytes() {
        String arch = gguf.summary().architecture();
        long layers = gguf.integer(arch + ".block_count").orElse(0L);
        long heads = gguf.integer(arch + ".attention.head_count").orElse(0L);
        long kvHeads = gguf.integer(arch + ".attention.head_count_kv").orElse(heads);
        long embedding = gguf.integer(arch + ".embedding_length").orElse(0L);
        long headSize = gguf.integer(arch + ".attention.key_length").orElse(heads == 0 ? 0 : embedding / heads);
        return gguf.fileSize() + 2 * layers * contextSize * kvHeads * headSize * KV_BYTES_PER_ELEMENT;
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            model.close();
        }
    }
}
