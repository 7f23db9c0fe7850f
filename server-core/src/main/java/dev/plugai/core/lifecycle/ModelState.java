package dev.plugai.core.lifecycle;

import java.time.Instant;
import java.util.Optional;

/**
 * Where a local model stands in memory.
 *
 * @param modelId     the model
 * @param phase       unloaded, loading, ready or failed
 * @param progress    load progress from 0 to 1 (1 when ready)
 * @param failure     why the last load failed
 * @param memoryBytes memory held (estimated while loading, measured once ready; 0 when unloaded)
 * @param lastUsedAt  when a generation last used it
 * @param isDefault   whether it is the default model (loaded at start, never evicted)
 */
public record ModelState(String modelId, Phase phase, double progress, Optional<String> failure, long memoryBytes,
                         Optional<Instant> lastUsedAt, boolean isDefault) {

    /** The life of a model in memory. */
    public enum Phase { UNLOADED, LOADING, READY, FAILED }
}
