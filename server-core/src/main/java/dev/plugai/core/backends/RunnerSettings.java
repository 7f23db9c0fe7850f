package dev.plugai.core.backends;

/**
 * How a runner should hold a model; zero means "choose automatically".
 *
 * @param threads       CPU threads for decoding
 * @param contextSize   context length in tokens
 * @param gpuLayers     layers offloaded to a GPU (0 on CPU-only machines)
 * @param parallelSlots concurrent generations on one loaded model
 */
public record RunnerSettings(int threads, int contextSize, int gpuLayers, int parallelSlots) {

    public static RunnerSettings automatic() {
        return new RunnerSettings(0, 0, 0, 1);
    }
}
