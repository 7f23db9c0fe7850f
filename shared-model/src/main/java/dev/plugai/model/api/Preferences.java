package dev.plugai.model.api;

import java.util.Map;

/**
 * A user's profile preferences, read by the web UI and the console.
 *
 * @param preferredModels   preferred model id per modality ({@code text}, {@code image}, {@code 3d}, ...)
 * @param defaultParameters default generation parameters per model id
 * @param layout            UI layout: {@code auto} (by modality and device), {@code chat} or {@code studio}
 * @param theme             {@code system}, {@code light} or {@code dark}
 */
public record Preferences(Map<String, String> preferredModels, Map<String, Map<String, Object>> defaultParameters,
                          String layout, String theme) {

    public Preferences {
        preferredModels = preferredModels == null ? Map.of() : Map.copyOf(preferredModels);
        defaultParameters = defaultParameters == null ? Map.of() : Map.copyOf(defaultParameters);
        layout = layout == null ? "auto" : layout;
        theme = theme == null ? "system" : theme;
    }

    /** The preferences of a new account. */
    public static Preferences defaults() {
        return new Preferences(Map.of(), Map.of(), "auto", "system");
    }
}
