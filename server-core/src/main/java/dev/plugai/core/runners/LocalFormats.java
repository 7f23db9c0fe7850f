package dev.plugai.core.runners;

import dev.plugai.core.backends.LocalRunner;
import dev.plugai.core.registry.ModelProbe;

import java.util.List;

/**
 * The one place where local model formats are registered: each format's probe (for discovery) and
 * runner (for loading). Adding a format is a probe, a runner and a line here.
 */
public final class LocalFormats {

    private LocalFormats() {
    }

    /** The probes discovery asks, in order. */
    public static List<ModelProbe> probes() {
        return List.of();
    }

    /** The runners that load local models, one per format. */
    public static List<LocalRunner> runners() {
        return List.of();
    }
}
