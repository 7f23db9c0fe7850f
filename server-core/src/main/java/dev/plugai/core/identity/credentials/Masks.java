package dev.plugai.core.identity.credentials;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** How secrets look when shown: enough to recognise a key, never enough to use or guess it. */
final class Masks {

    static final String ELLIPSIS = "…";

    /*
     * A machine-made key of 24+ characters keeps 17+ hidden characters, so showing 7 of them still leaves
     * far more entropy than an attacker can search. Shorter ones (and human passwords) show nothing.
     */
    private static final int MINIMUM_LENGTH_TO_HINT = 24;

    private Masks() {
    }

    /** {@code sk-…a1b2} for a long generated secret, {@code …} otherwise. */
    static String hint(String secret) {
        if (secret == null || secret.length() < MINIMUM_LENGTH_TO_HINT) {
            return ELLIPSIS;
        }
        return secret.substring(0, 3) + ELLIPSIS + secret.substring(secret.length() - 4);
    }

    /** An ordered, unmodifiable map from alternating keys and values. */
    static Map<String, String> view(String... keysAndValues) {
        Map<String, String> view = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            view.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return Collections.unmodifiableMap(view);
    }
}
