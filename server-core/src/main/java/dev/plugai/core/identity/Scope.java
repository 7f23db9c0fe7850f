package dev.plugai.core.identity;

import dev.plugai.core.errors.PlugAiException;

import java.util.EnumSet;
import java.util.Set;

/**
 * What an API token may be used for. A browser session has every scope its user's role allows; a
 * token has only those it was created with, never beyond its creator's role.
 */
public enum Scope {
    /** List and read models and their parameters. */
    MODELS_READ("models:read"),
    /** Generate: text, images, 3D, embeddings; see and cancel one's jobs. */
    GENERATE("generate"),
    /** Chat sessions and their messages. */
    SESSIONS("sessions"),
    /** One's own account: profile, tokens, provider credentials. */
    ACCOUNT("account"),
    /** Administration (admins only). */
    ADMIN("admin");

    private final String wireName;

    Scope(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    /** Scopes a new token gets when none are named. */
    public static Set<Scope> defaults() {
        return EnumSet.of(MODELS_READ, GENERATE, SESSIONS);
    }

    /** Every scope the role may hold. */
    public static Set<Scope> allowedFor(Role role) {
        return role == Role.ADMIN ? EnumSet.allOf(Scope.class) : EnumSet.complementOf(EnumSet.of(ADMIN));
    }

    public static Scope fromWire(String name) {
        for (Scope scope : values()) {
            if (scope.wireName.equals(name)) {
                return scope;
            }
        }
        throw new PlugAiException.InvalidRequest("Unknown scope '" + name
                + "'; use models:read, generate, sessions, account or admin.");
    }
}
