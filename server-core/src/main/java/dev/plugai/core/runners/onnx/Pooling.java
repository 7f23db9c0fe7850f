package dev.plugai.core.runners.onnx;

/**
 * How a sentence-embedding model turns its per-token states into one vector, as its sentence-transformers
 * pooling configuration says.
 */
public enum Pooling {
    /** The average of the real (non-padding) tokens' states; the sentence-transformers default. */
    MEAN,
    /** The state of the first token ({@code [CLS]}). */
    CLS,
    /** The element-wise maximum over the real tokens' states. */
    MAX,
    /** The state of the last real token (decoder-style embedding models). */
    LAST_TOKEN;

    /**
     * Pools one row of a {@code [batch, tokens, width]} tensor flattened row-major. Done in plain Java
     * because ONNX Runtime's DJL NDArrays implement too few operations for it.
     *
     * @param states the flattened hidden states of the whole batch
     * @param row    which input of the batch
     * @param tokens the padded sequence length of the batch
     * @param width  the hidden size
     * @param mask   the attention mask of this row (1 for a real token, 0 for padding)
     */
    float[] pool(float[] states, int row, int tokens, int width, long[] mask) {
        int rowStart = row * tokens * width;
        float[] vector = new float[width];
        switch (this) {
            case CLS -> System.arraycopy(states, rowStart, vector, 0, width);
            case LAST_TOKEN -> {
                int last = 0;
                for (int token = 0; token < tokens; token++) {
                    if (mask[token] != 0) {
                        last = token;
                    }
                }
                System.arraycopy(states, rowStart + last * width, vector, 0, width);
            }
            case MAX -> {
                java.util.Arrays.fill(vector, Float.NEGATIVE_INFINITY);
                for (int token = 0; token < tokens; token++) {
                    if (mask[token] == 0) {
                        continue;
                    }
                    int offset = rowStart + token * width;
                    for (int i = 0; i < width; i++) {
                        vector[i] = Math.max(vector[i], states[offset + i]);
                    }
                }
            }
            case MEAN -> {
                // Sums in double: long inputs add hundreds of terms and float rounding would show.
                double[] sum = new double[width];
                int counted = 0;
                for (int token = 0; token < tokens; token++) {
                    if (mask[token] == 0) {
                        continue;
                    }
                    counted++;
                    int offset = rowStart + token * width;
                    for (int i = 0; i < width; i++) {
                        sum[i] += states[offset + i];
                    }
                }
                int divisor = Math.max(counted, 1);
                for (int i = 0; i < width; i++) {
                    vector[i] = (float) (sum[i] / divisor);
                }
            }
        }
        return vector;
    }

    /** Scales the vector to unit length in place; a zero vector stays zero. */
    static float[] normalise(float[] vector) {
        double squares = 0;
        for (float value : vector) {
            squares += (double) value * value;
        }
        double norm = Math.sqrt(squares);
        if (norm > 0) {
            for (int i = 0; i < vector.length; i++) {
                vector[i] = (float) (vector[i] / norm);
            }
        }
        return vector;
    }
}
