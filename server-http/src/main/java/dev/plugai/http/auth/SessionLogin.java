package dev.plugai.http.auth;

import dev.plugai.core.identity.LoginSessions;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.time.Clock;

/** Puts a new session in the browser (ending the one it came with: ids rotate at login) and ends it at logout. */
public final class SessionLogin {

    private final LoginSessions sessions;
    private final SessionCookies cookies;
    private final Clock clock;

    public SessionLogin(LoginSessions sessions, SessionCookies cookies, Clock clock) {
        this.sessions = sessions;
        this.cookies = cookies;
        this.clock = clock;
    }

    /** Ends any session the request carried and sets the cookie of {@code session}. */
    public void replaceSession(ServerRequest request, ServerResponse response, LoginSessions.NewSession session) {
        cookies.read(request).ifPresent(sessions::revoke);
        cookies.set(request, response, session.cookieValue(), session.expiresAt(), clock.instant());
    }

    /** Ends the request's session (if any) and clears the cookie. */
    public void endSession(ServerRequest request, ServerResponse response) {
        cookies.read(request).ifPresent(sessions::revoke);
        cookies.clear(request, response);
    }
}
