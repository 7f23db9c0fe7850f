package dev.plugai.core.backends;

import java.util.List;

/**
 * Generation parameters under their unified names; {@code null} means "the model's default".
 * Validation against a model's parameter schema happens before a request reaches a backend.
 */
public record SamplingParameters(Double temperature, Double topP, Integer topK, Double minP, Integer maxTokens,
                                 Long seed, List<String> stop, Double repeatPenalty) {

    public SamplingParameters {
        stop = stop == null ? List.of() : List.copyOf(stop);
    }

    /** Every parameter left to the model. */
    public static SamplingParameters defaults() {
        return new SamplingParameters(null, null, null, null, null, null, List.of(), null);
    }
}
