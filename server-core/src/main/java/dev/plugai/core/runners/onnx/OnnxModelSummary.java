package dev.plugai.core.runners.onnx;

/**
 * What model discovery learns about an ONNX embedding model folder without loading it.
 *
 * @param name            the folder's name
 * @param modelType       {@code model_type} from config.json, e.g. {@code bert}
 * @param dimensions      the length of each embedding
 * @param maxTokens       longer inputs are truncated to this many tokens
 * @param pooling         how token states become one vector
 * @param normalises      whether the model's pipeline always yields unit-length vectors
 * @param sizeOnDiskBytes the bytes of every file in the folder
 */
public record OnnxModelSummary(String name, String modelType, int dimensions, int maxTokens, Pooling pooling,
                               boolean normalises, long sizeOnDiskBytes) {
}
