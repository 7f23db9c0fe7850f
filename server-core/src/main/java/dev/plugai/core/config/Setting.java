package dev.plugai.core.config;

import java.util.Locale;
import java.util.Objects;

/**
 * One entry of the settings catalogue: its key in the config file, its environment variable, its
 * default and what it means. The same entries feed {@code plugai --help}, the docs and the defaults.
 *
 * <p>Immutable and thread-safe.
 *
 * @param <T> the type the raw text is parsed into
 */
public final class Setting<T> {

    private final String key;
    private final String defaultValue;
    private final String description;
    private final ValueParser<T> parser;

    Setting(String key, String defaultValue, String description, ValueParser<T> parser) {
        this.key = Objects.requireNonNull(key);
        this.defaultValue = defaultValue;
        this.description = Objects.requireNonNull(description);
        this.parser = Objects.requireNonNull(parser);
    }

    /** The dotted key, as in the YAML file ({@code server.port}) and in {@code --set server.port=...}. */
    public String key() {
        return key;
    }

    /** The environment variable: {@code PLUGAI_} and the key in upper case, dots and dashes as underscores. */
    public String envVariable() {
        return envVariableFor(key);
    }

    /** The default as text, or {@code null} when the default is computed (see {@link #description()}). */
    public String defaultValue() {
        return defaultValue;
    }

    public String description() {
        return description;
    }

    /** A short name of the accepted values, e.g. {@code duration} or {@code text|json}. */
    public String valueType() {
        return parser.typeName();
    }

    T parse(String raw) {
        return parser.parse(raw);
    }

    static String envVariableFor(String key) {
        return "PLUGAI_" + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    @Override
    public String toString() {
        return key;
    }
}
