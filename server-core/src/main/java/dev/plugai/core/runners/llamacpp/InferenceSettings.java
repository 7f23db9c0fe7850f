package dev.plugai.core.runners.llamacpp;

import de.kherud.llama.InferenceParameters;
import dev.plugai.core.backends.SamplingParameters;

/**
 * Maps a request's sampling parameters onto the binding's: the caller's value first, then the model
 * author's recommendation from the GGUF's {@code general.sampling.*} keys, then llama.cpp's default.
 *
 * @param recommended the model's recommendations (null fields when absent)
 */
record InferenceSettings(SamplingParameters recommended) {

    /**
     * @param prompt          the text to continue (a chat already rendered through its template)
     * @param requested       the caller's parameters
     * @param tokenLimit      the completion tokens allowed: {@code max_tokens}, or what is left of the context
     */
    InferenceParameters toParameters(String prompt, SamplingParameters requested, int tokenLimit) {
        InferenceParameters parameters = new InferenceParameters(prompt).setNPredict(tokenLimit).setCachePrompt(true);
        Double temperature = first(requested.temperature(), recommended.temperature());
        if (temperature != null) {
            parameters.setTemperature(temperature.floatValue());
        }
        Double topP = first(requested.topP(), recommended.topP());
        if (topP != null) {
            parameters.setTopP(topP.floatValue());
        }
        Integer topK = first(requested.topK(), recommended.topK());
        if (topK != null) {
            parameters.setTopK(topK);
        }
        Double minP = first(requested.minP(), recommended.minP());
        if (minP != null) {
            parameters.setMinP(minP.floatValue());
        }
        Double repeatPenalty = first(requested.repeatPenalty(), recommended.repeatPenalty());
        if (repeatPenalty != null) {
            parameters.setRepeatPenalty(repeatPenalty.floatValue());
        }
        if (requested.seed() != null) {
            // llama.cpp seeds are 32 bits: larger seeds keep their low bits.
            parameters.setSeed((int) requested.seed().longValue());
        }
        if (!requested.stop().isEmpty()) {
            parameters.setStopStrings(requested.stop().toArray(String[]::new));
        }
        return parameters;
    }

    private static <T> T first(T requested, T recommended) {
        return requested != null ? requested : recommended;
    }
}
