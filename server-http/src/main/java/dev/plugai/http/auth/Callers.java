package dev.plugai.http.auth;

import dev.plugai.core.errors.PlugAiException;
import dev.plugai.core.identity.Caller;
import io.helidon.webserver.http.ServerRequest;

/** The authenticated caller of a request, as attached by {@link HttpAuthenticator}. */
public final class Callers {

    private static final String CONTEXT_KEY = "plugai.caller";

    private Callers() {
    }

    static void attach(ServerRequest request, Caller caller) {
        request.context().register(CONTEXT_KEY, caller);
    }

    /** The caller; only call from routes that require authentication. */
    public static Caller of(ServerRequest request) {
        return request.context().get(CONTEXT_KEY, Caller.class)
                .orElseThrow(() -> new PlugAiException.Unauthenticated("Authentication is required."));
    }
}
