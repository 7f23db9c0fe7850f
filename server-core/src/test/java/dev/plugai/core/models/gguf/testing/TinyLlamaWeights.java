package dev.plugai.core.models.gguf.testing;

import dev.plugai.core.models.gguf.GgufTensorType;

import java.util.SplittableRandom;

/**
 * Lays out a {@link TinyLlamaGguf.Builder}'s metadata and tensors on a {@link GgufWriter}.
 *
 * <p>Why the weights look as they do: every token embedding has a large constant in dimension 0 and
 * small noise elsewhere, and the layers' weights are small, so dimension 0 survives to the output.
 * The output matrix gives tokens the model must never produce a large negative weight there, and the
 * others noise scaled so that their logits spread by a few units: sampling varies, yet only words come
 * out.
 */
final class TinyLlamaWeights {

    private static final float EMBEDDING_NOISE = 0.05f;
    private static final double LOGIT_SPREAD = 3.0;
    private static final double FORBIDDEN_LOGIT = -30.0;

    private final TinyLlamaGguf.Builder shape;
    private final TinyVocabulary vocabulary = new TinyVocabulary();
    private final SplittableRandom random;

    TinyLlamaWeights(TinyLlamaGguf.Builder shape) {
        this.shape = shape;
        this.random = shape.random();
    }

    GgufWriter writer() {
        GgufWriter writer = new GgufWriter();
        metadata(writer);
        tensors(writer);
        return writer;
    }

    private void metadata(GgufWriter writer) {
        String arch = shape.architecture();
        writer.putString("general.architecture", arch)
                .putString("general.name", shape.name())
                .putString("general.size_label", sizeLabel())
                .putUInt32("general.file_type", shape.tensorType() == GgufTensorType.F32 ? 0 : 1)
                .putUInt32("general.alignment", 32)
                .putUInt32(arch + ".context_length", shape.contextLength())
                .putUInt32(arch + ".embedding_length", shape.embeddingLength())
                .putUInt32(arch + ".block_count", shape.blockCount())
                .putUInt32(arch + ".feed_forward_length", shape.feedForwardLength())
                .putUInt32(arch + ".attention.head_count", shape.headCount())
                .putUInt32(arch + ".attention.head_count_kv", shape.headCountKv())
                .putUInt32(arch + ".rope.dimension_count", shape.embeddingLength() / shape.headCount())
                .putFloat32(arch + ".attention.layer_norm_rms_epsilon", 1e-5f)
                .putUInt32(arch + ".vocab_size", vocabulary.size());
        shape.sampling().forEach((key, value) -> {
            if (key.equals("top_k")) {
                writer.putInt32("general.sampling.top_k", value.intValue());
            } else {
                writer.putFloat32("general.sampling." + key, value);
            }
        });
        writer.putString("tokenizer.ggml.model", "llama")
                .putStrings("tokenizer.ggml.tokens", vocabulary.tokens)
                .putFloats("tokenizer.ggml.scores", vocabulary.scoreArray())
                .putInts("tokenizer.ggml.token_type", vocabulary.typeArray())
                .putUInt32("tokenizer.ggml.bos_token_id", TinyVocabulary.BOS)
                .putUInt32("tokenizer.ggml.eos_token_id", TinyVocabulary.EOS)
                .putUInt32("tokenizer.ggml.unknown_token_id", TinyVocabulary.UNKNOWN)
                .putBool("tokenizer.ggml.add_bos_token", true)
                .putBool("tokenizer.ggml.add_eos_token", false);
        if (shape.chatTemplate() != null) {
            writer.putString("tokenizer.chat_template", shape.chatTemplate());
        }
    }

    private void tensors(GgufWriter writer) {
        int embd = shape.embeddingLength();
        int vocab = vocabulary.size();
        int kv = embd / shape.headCount() * shape.headCountKv();
        int ff = shape.feedForwardLength();
        writer.tensor("token_embd.weight", shape.tensorType(), new long[] {embd, vocab}, embedding());
        writer.tensor("output_norm.weight", GgufTensorType.F32, new long[] {embd}, index -> 1f);
        writer.tensor("output.weight", shape.tensorType(), new long[] {embd, vocab}, output());
        for (int block = 0; block < shape.blockCount(); block++) {
            String prefix = "blk." + block + ".";
            writer.tensor(prefix + "attn_norm.weight", GgufTensorType.F32, new long[] {embd}, index -> 1f);
            writer.tensor(prefix + "attn_q.weight", shape.tensorType(), new long[] {embd, embd}, small(embd));
            writer.tensor(prefix + "attn_k.weight", shape.tensorType(), new long[] {embd, kv}, small(embd));
            writer.tensor(prefix + "attn_v.weight", shape.tensorType(), new long[] {embd, kv}, small(embd));
            writer.tensor(prefix + "attn_output.weight", shape.tensorType(), new long[] {embd, embd}, small(embd));
            writer.tensor(prefix + "ffn_norm.weight", GgufTensorType.F32, new long[] {embd}, index -> 1f);
            writer.tensor(prefix + "ffn_gate.weight", shape.tensorType(), new long[] {embd, ff}, small(embd));
            writer.tensor(prefix + "ffn_up.weight", shape.tensorType(), new long[] {embd, ff}, small(embd));
            writer.tensor(prefix + "ffn_down.weight", shape.tensorType(), new long[] {ff, embd}, small(ff));
        }
    }

    private GgufWriter.Elements embedding() {
        SplittableRandom weights = random.split();
        int embd = shape.embeddingLength();
        return index -> index % embd == 0 ? 1f : noise(weights, EMBEDDING_NOISE);
    }

    private GgufWriter.Elements output() {
        SplittableRandom weights = random.split();
        int embd = shape.embeddingLength();
        // After the final RMS norm, dimension 0 holds about h0 and every other dimension about hRest.
        double rms = Math.sqrt((1 + (embd - 1) * EMBEDDING_NOISE * EMBEDDING_NOISE) / embd);
        double h0 = 1 / rms;
        double hRest = EMBEDDING_NOISE / rms;
        float spread = (float) (LOGIT_SPREAD / (Math.sqrt(embd - 1) * hRest));
        float forbidden = (float) (FORBIDDEN_LOGIT / h0);
        return index -> {
            int token = (int) (index / embd);
            if (index % embd == 0) {
                return vocabulary.generates(token) ? 0f : forbidden;
            }
            return noise(weights, spread);
        };
    }

    private GgufWriter.Elements small(int fanIn) {
        SplittableRandom weights = random.split();
        float scale = (float) (0.16 / Math.sqrt(fanIn));
        return index -> noise(weights, scale);
    }

    /** Uniform noise with standard deviation {@code deviation}. */
    private static float noise(SplittableRandom random, float deviation) {
        return (float) ((random.nextDouble() * 2 - 1) * Math.sqrt(3) * deviation);
    }

    private String sizeLabel() {
        long embd = shape.embeddingLength();
        long perBlock = 2 * embd * embd + 2 * embd * (embd / shape.headCount() * shape.headCountKv())
                + 3 * embd * shape.feedForwardLength() + 2 * embd;
        long parameters = 2 * embd * vocabulary.size() + embd + shape.blockCount() * perBlock;
        return parameters >= 1_000_000 ? Math.round(parameters / 1e6) + "M" : Math.round(parameters / 1e3) + "K";
    }
}
