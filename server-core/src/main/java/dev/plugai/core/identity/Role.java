package dev.plugai.core.identity;

import dev.plugai.core.errors.PlugAiException;

import java.util.Locale;

/** What a user may do in general: {@code admin} manages the server, {@code user} uses it. */
public enum Role {
    ADMIN, USER;

    /** The name used in the API, the database and the CLI. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code admin} or {@code user}. */
    public static Role fromWire(String name) {
        if (name != null) {
            for (Role role : values()) {
                if (role.wireName().equals(name.strip().toLowerCase(Locale.ROOT))) {
                    return role;
                }
            }
        }
        throw new PlugAiException.InvalidRequest("Unknown role '" + name + "'; use admin or user.");
    }
}
