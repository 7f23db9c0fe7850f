package dev.plugai.core.runners.onnx;

import ai.djl.Model;
import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.NoopTranslator;
import ai.djl.translate.TranslateException;
import dev.plugai.core.backends.Embedder;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Embeds texts with one loaded ONNX sentence-embedding model. Safe for concurrent calls: ONNX Runtime
 * sessions allow concurrent runs, each call uses its own DJL Predictor (which is not thread-safe) and its
 * own NDManager, and the tokenizer is configured once at load and only read afterwards.
 */
final class OnnxEmbedder implements Embedder {

    /** Inputs per ONNX run: bounds the activation memory of one call whatever its length. */
    static final int BATCH_SIZE = 32;

    private final OnnxModelFolder folder;
    private final HuggingFaceTokenizer tokenizer;
    private final Model model;
    private final boolean wantsTokenTypes;
    private final BooleanSupplier closed;

    OnnxEmbedder(OnnxModelFolder folder, HuggingFaceTokenizer tokenizer, Model model, BooleanSupplier closed) {
        this.folder = folder;
        this.tokenizer = tokenizer;
        this.model = model;
        this.closed = closed;
        // BERT exports take token_type_ids, DistilBERT/RoBERTa exports do not; ONNX Runtime refuses both
        // a missing and an unexpected input, so feed exactly what the graph declares.
        this.wantsTokenTypes = model.describeInput().keys().contains("token_type_ids");
    }

    @Override
    public Embeddings embed(List<String> inputs, boolean normalise) {
        OnnxEmbeddingRunner.requireInputs(inputs);
        if (closed.getAsBoolean()) {
            throw new IllegalStateException("the model " + folder.folder().getFileName() + " has been unloaded");
        }
        List<float[]> vectors = new ArrayList<>(inputs.size());
        int promptTokens = 0;
        for (int start = 0; start < inputs.size(); start += BATCH_SIZE) {
            List<String> batch = inputs.subList(start, Math.min(inputs.size(), start + BATCH_SIZE));
            Encoding[] encodings = tokenizer.batchEncode(batch);
            for (Encoding encoding : encodings) {
                for (long attended : encoding.getAttentionMask()) {
                    promptTokens += (int) attended;
                }
            }
            vectors.addAll(run(encodings, normalise || folder.normalises()));
        }
        return new Embeddings(List.copyOf(vectors), folder.dimensions(), promptTokens);
    }

    private List<float[]> run(Encoding[] encodings, boolean normalise) {
        int batch = encodings.length;
        int tokens = 0;
        for (Encoding encoding : encodings) {
            tokens = Math.max(tokens, encoding.getIds().length);
        }
        // Padding positions stay 0 with a 0 mask, should the tokenizer ever leave a row short.
        long[] ids = new long[batch * tokens];
        long[] mask = new long[batch * tokens];
        long[] types = new long[batch * tokens];
        long[][] rowMasks = new long[batch][tokens];
        for (int row = 0; row < batch; row++) {
            Encoding encoding = encodings[row];
            int length = encoding.getIds().length;
            System.arraycopy(encoding.getIds(), 0, ids, row * tokens, length);
            System.arraycopy(encoding.getAttentionMask(), 0, mask, row * tokens, length);
            System.arraycopy(encoding.getTypeIds(), 0, types, row * tokens, length);
            System.arraycopy(encoding.getAttentionMask(), 0, rowMasks[row], 0, length);
        }
        Shape shape = new Shape(batch, tokens);
        try (NDManager manager = model.getNDManager().newSubManager();
             Predictor<NDList, NDList> predictor = model.newPredictor(new NoopTranslator())) {
            NDList feed = new NDList(named(manager.create(ids, shape), "input_ids"),
                    named(manager.create(mask, shape), "attention_mask"));
            if (wantsTokenTypes) {
                feed.add(named(manager.create(types, shape), "token_type_ids"));
            }
            NDArray output = tokenStates(predictor.predict(feed));
            float[] states = output.toFloatArray();
            List<float[]> vectors = new ArrayList<>(batch);
            for (int row = 0; row < batch; row++) {
                float[] vector = output.getShape().dimension() == 2
                        ? copyRow(states, row, (int) output.getShape().get(1))
                        : folder.pooling().pool(states, row, tokens, (int) output.getShape().get(2), rowMasks[row]);
                vectors.add(normalise ? Pooling.normalise(vector) : vector);
            }
            return vectors;
        } catch (TranslateException e) {
            throw new IllegalStateException("ONNX Runtime failed to embed: "
                    + OnnxEmbeddingRunner.rootMessage(e), e);
        }
    }

    /**
     * Picks the per-token states ({@code last_hidden_state}, or {@code token_embeddings} in
     * sentence-transformers' own exports); an already pooled {@code sentence_embedding} is taken as is.
     */
    private static NDArray tokenStates(NDList outputs) {
        for (String name : List.of("last_hidden_state", "token_embeddings", "sentence_embedding")) {
            NDArray output = outputs.get(name);
            if (output != null) {
                return output;
            }
        }
        return outputs.stream()
                .filter(output -> output.getShape().dimension() == 3)
                .findFirst()
                .orElseThrow(() -> new IllegalStateException(
                        "the ONNX graph has no last_hidden_state output (it has " + names(outputs) + ")"));
    }

    private static List<String> names(NDList outputs) {
        return outputs.stream().map(NDArray::getName).toList();
    }

    private static float[] copyRow(float[] matrix, int row, int width) {
        float[] vector = new float[width];
        System.arraycopy(matrix, row * width, vector, 0, width);
        return vector;
    }

    private static NDArray named(NDArray array, String name) {
        array.setName(name);
        return array;
    }
}
