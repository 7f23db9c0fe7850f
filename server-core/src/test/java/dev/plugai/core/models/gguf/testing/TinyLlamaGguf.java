package dev.plugai.core.models.gguf.testing;

import dev.plugai.core.models.gguf.GgufTensorType;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A real llama-architecture GGUF model with seeded random weights and a small SentencePiece vocabulary,
 * which llama.cpp loads and generates from. The weights are shaped so that it only ever generates ASCII
 * words and characters and never an end-of-generation token: output is valid text, one piece per token,
 * and a generation always runs to its token limit. The defaults make a 0.5 MB model; {@link Builder}
 * scales it to any size for benchmarks.
 */
public final class TinyLlamaGguf {

    /** ChatML, which llama.cpp also recognises without a Jinja engine. */
    public static final String CHATML_TEMPLATE = "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\\n'"
            + " + message['content'] + '<|im_end|>' + '\\n'}}{% endfor %}"
            + "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";

    private TinyLlamaGguf() {
    }

    /** Writes the default tiny model to {@code file}. */
    public static Path write(Path file) throws IOException {
        return builder().build().write(file);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The shape, names and metadata of a model to write; every setter returns the builder. */
    public static final class Builder {
        private String architecture = "llama";
        private String name = "Tiny Llama";
        private int embeddingLength = 64;
        private int blockCount = 2;
        private int headCount = 4;
        private int headCountKv = 4;
        private int feedForwardLength = 128;
        private int contextLength = 512;
        private GgufTensorType tensorType = GgufTensorType.F32;
        private long seed = 42;
        private String chatTemplate = CHATML_TEMPLATE;
        private final Map<String, Float> sampling = new LinkedHashMap<>();

        private Builder() {
        }

        /** Any name: {@code "imaginary"} makes a file llama.cpp does not know. */
        public Builder architecture(String architecture) {
            this.architecture = architecture;
            return this;
        }

        public Builder name(String name) {
            this.name = name;
            return this;
        }

        public Builder embeddingLength(int embeddingLength) {
            this.embeddingLength = embeddingLength;
            return this;
        }

        public Builder blockCount(int blockCount) {
            this.blockCount = blockCount;
            return this;
        }

        public Builder heads(int headCount, int headCountKv) {
            this.headCount = headCount;
            this.headCountKv = headCountKv;
            return this;
        }

        public Builder feedForwardLength(int feedForwardLength) {
            this.feedForwardLength = feedForwardLength;
            return this;
        }

        public Builder contextLength(int contextLength) {
            this.contextLength = contextLength;
            return this;
        }

        /** F32 (default) or F16. */
        public Builder tensorType(GgufTensorType tensorType) {
            this.tensorType = tensorType;
            return this;
        }

        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** A Jinja chat template, or null for none. */
        public Builder chatTemplate(String chatTemplate) {
            this.chatTemplate = chatTemplate;
            return this;
        }

        /** Adds a {@code general.sampling.<key>} recommendation, e.g. {@code ("temp", 0.7f)}. */
        public Builder sampling(String key, float value) {
            sampling.put(key, value);
            return this;
        }

        /** A writer holding the whole model; add or falsify entries on it before writing. */
        public GgufWriter build() {
            return new TinyLlamaWeights(this).writer();
        }

        String architecture() {
            return architecture;
        }

        String name() {
            return name;
        }

        int embeddingLength() {
            return embeddingLength;
        }

        int blockCount() {
            return blockCount;
        }

        int headCount() {
            return headCount;
        }

        int headCountKv() {
            return headCountKv;
        }

        int feedForwardLength() {
            return feedForwardLength;
        }

        int contextLength() {
            return contextLength;
        }

        GgufTensorType tensorType() {
            return tensorType;
        }

        SplittableRandom random() {
            return new SplittableRandom(seed);
        }

        String chatTemplate() {
            return chatTemplate;
        }

        Map<String, Float> sampling() {
            return sampling;
        }
    }
}
