package dev.plugai.http.auth;

import dev.plugai.core.errors.PlugAiException;
import dev.plugai.core.identity.ApiTokens;
import dev.plugai.core.identity.Caller;
import dev.plugai.core.identity.IdentityService;
import dev.plugai.core.identity.SecretTokens;
import dev.plugai.http.routing.Access;
import dev.plugai.http.routing.ApiRoutes;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Authenticates and authorizes each request before its handler runs, as its route's {@link Access}
 * demands. Credentials, in order: {@code Authorization: Bearer <token>}, {@code X-API-Key: <token>},
 * the session cookie. A bearer value is a PlugAI API token or, when an external OIDC issuer is
 * configured, a JWT from that issuer. Credentials that are present but wrong fail at once (no fall-through to the
 * cookie). Cookie-authenticated changes must carry the session's CSRF token in {@code X-PlugAI-CSRF}
 * and must not come from another site ({@code Sec-Fetch-Site: cross-site}).
 *
 * <p>Thread-safe.
 */
public final class HttpAuthenticator implements ApiRoutes.Guard {

    public static final HeaderName API_KEY = HeaderNames.create("X-API-Key");
    public static final HeaderName CSRF = HeaderNames.create("X-PlugAI-CSRF");
    private static final HeaderName SEC_FETCH_SITE = HeaderNames.create("Sec-Fetch-Site");
    private static final Set<Method> SAFE_METHODS = Set.of(Method.GET, Method.HEAD, Method.OPTIONS);
    /** One answer for every credential failure, so it helps no one guess which part was wrong. */
    private static final String UNAUTHENTICATED = "Valid credentials are required: a session cookie, "
            + "'Authorization: Bearer <token>' or 'X-API-Key: <token>'.";

    private final IdentityService identity;
    private final SessionCookies cookies;
    private final Optional<OidcVerifier> oidc;

    /** @param oidc the external issuer's verifier, when one is configured */
    public HttpAuthenticator(IdentityService identity, SessionCookies cookies, Optional<OidcVerifier> oidc) {
        this.identity = identity;
        this.cookies = cookies;
        this.oidc = oidc;
    }

    @Override
    public Handler protect(Access access, Handler handler) {
        if (!access.authenticated()) {
            return handler;
        }
        return (request, response) -> {
            Caller caller = authenticate(request);
            authorize(access, caller);
            if (caller.method() == Caller.Method.SESSION && !SAFE_METHODS.contains(request.prologue().method())) {
                requireSameSiteWithCsrfToken(request, caller);
            }
            Callers.attach(request, caller);
            handler.handle(request, response);
        };
    }

    /** The caller behind the request's credentials; throws when there are none or they are not valid. */
    Caller authenticate(ServerRequest request) {
        Optional<String> authorization = request.headers().first(HeaderNames.AUTHORIZATION);
        if (authorization.isPresent()) {
            String value = authorization.get().strip();
            if (value.length() > 7 && value.substring(0, 7).toLowerCase(Locale.ROOT).equals("bearer ")) {
                return bearer(value.substring(7).strip()).orElseThrow(HttpAuthenticator::refused);
            }
            throw refused();
        }
        Optional<String> apiKey = request.headers().first(API_KEY);
        if (apiKey.isPresent()) {
            return identity.authenticateToken(apiKey.get().strip()).orElseThrow(HttpAuthenticator::refused);
        }
        return cookies.read(request).flatMap(identity::authenticateSession).orElseThrow(HttpAuthenticator::refused);
    }

    private Optional<Caller> bearer(String credential) {
        if (oidc.isPresent() && !ApiTokens.looksLikeToken(credential) && OidcVerifier.looksLikeJwt(credential)) {
            return oidc.get().authenticate(credential);
        }
        return identity.authenticateToken(credential);
    }

    private static void authorize(Access access, Caller caller) {
        if (access.admin()) {
            if (!caller.user().isAdmin()) {
                throw new PlugAiException.Forbidden("This needs an admin.");
            }
            if (!caller.isAdmin()) {
                throw new PlugAiException.Forbidden("This token lacks the 'admin' scope.");
            }
            return;
        }
        access.scope().ifPresent(scope -> {
            if (!caller.has(scope)) {
                throw new PlugAiException.Forbidden("This token lacks the '" + scope.wireName() + "' scope.");
            }
        });
    }

    private static void requireSameSiteWithCsrfToken(ServerRequest request, Caller caller) {
        String site = request.headers().first(SEC_FETCH_SITE).orElse("").toLowerCase(Locale.ROOT);
        if (site.equals("cross-site")) {
            throw new PlugAiException.Forbidden("Cross-site requests with a session cookie are refused.");
        }
        String expected = caller.csrfToken().orElse("");
        String presented = request.headers().first(CSRF).orElse("");
        if (presented.isEmpty() || !SecretTokens.sameDigest(expected, presented)) {
            throw new PlugAiException.Forbidden("Send the session's CSRF token in the X-PlugAI-CSRF header.");
        }
    }

    private static PlugAiException refused() {
        return new PlugAiException.Unauthenticated(UNAUTHENTICATED);
    }
}
