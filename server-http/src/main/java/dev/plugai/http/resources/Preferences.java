package dev.plugai.http.resources;

import dev.plugai.core.errors.PlugAiException;

import java.util.Set;

/** Checks preference values the UI relies on. */
final class Preferences {

    private static final Set<String> LAYOUTS = Set.of("auto", "chat", "studio");
    private static final Set<String> THEMES = Set.of("system", "light", "dark");

    private Preferences() {
    }

    static void check(dev.plugai.model.api.Preferences preferences) {
        if (!LAYOUTS.contains(preferences.layout())) {
            throw new PlugAiException.InvalidRequest("preferences.layout must be auto, chat or studio.");
        }
        if (!THEMES.contains(preferences.theme())) {
            throw new PlugAiException.InvalidRequest("preferences.theme must be system, light or dark.");
        }
        if (preferences.preferredModels().size() > 20 || preferences.defaultParameters().size() > 200) {
            throw new PlugAiException.InvalidRequest("Too many preferred models or default parameter sets.");
        }
    }
}
