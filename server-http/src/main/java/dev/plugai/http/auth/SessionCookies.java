package dev.plugai.http.auth;

import io.helidon.http.SetCookie;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The session cookie: {@code HttpOnly}, {@code SameSite=Strict}, {@code Path=/}; over TLS (or when
 * configured behind a TLS proxy) also {@code Secure} with the {@code __Host-} prefix, which browsers
 * only accept from a secure origin without a Domain attribute.
 */
public final class SessionCookies {

    static final String PLAIN_NAME = "plugai_session";
    static final String SECURE_NAME = "__Host-plugai_session";

    private final String secureMode;

    /** @param secureMode {@code auto}, {@code always} or {@code never} */
    public SessionCookies(String secureMode) {
        this.secureMode = secureMode;
    }

    /** The session cookie value sent with the request, if any (the secure name wins). */
    Optional<String> read(ServerRequest request) {
        var cookies = request.headers().cookies();
        if (cookies.contains(SECURE_NAME)) {
            return Optional.of(cookies.get(SECURE_NAME));
        }
        return cookies.contains(PLAIN_NAME) ? Optional.of(cookies.get(PLAIN_NAME)) : Optional.empty();
    }

    /** Sets the cookie for a new session. */
    void set(ServerRequest request, ServerResponse response, String value, Instant expiresAt, Instant now) {
        boolean secure = secure(request);
        response.headers().addCookie(SetCookie.builder(secure ? SECURE_NAME : PLAIN_NAME, value)
                .path("/")
                .httpOnly(true)
                .secure(secure)
                .sameSite(SetCookie.SameSite.STRICT)
                .maxAge(Duration.between(now, expiresAt))
                .build());
    }

    /** Tells the browser to drop the cookie. */
    void clear(ServerRequest request, ServerResponse response) {
        boolean secure = secure(request);
        response.headers().addCookie(SetCookie.builder(secure ? SECURE_NAME : PLAIN_NAME, "")
                .path("/")
                .httpOnly(true)
                .secure(secure)
                .sameSite(SetCookie.SameSite.STRICT)
                .maxAge(Duration.ZERO)
                .build());
    }

    private boolean secure(ServerRequest request) {
        return switch (secureMode) {
            case "always" -> true;
            case "never" -> false;
            default -> request.isSecure();
        };
    }
}
