package dev.plugai.http.resources;

import dev.plugai.core.audit.AuditLog;
import dev.plugai.core.identity.Caller;
import dev.plugai.core.identity.IdentityService;
import dev.plugai.core.identity.LoginSessions;
import dev.plugai.core.identity.Scope;
import dev.plugai.core.identity.User;
import dev.plugai.http.auth.SessionLogin;
import dev.plugai.http.json.Json;
import dev.plugai.http.routing.Access;
import dev.plugai.http.routing.ApiResource;
import dev.plugai.http.routing.ApiRoutes;
import dev.plugai.model.identity.IdentityApi;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.util.Arrays;
import java.util.Optional;

/** Login, logout and invite registration for the web UI. */
public final class AuthResource implements ApiResource {

    private final IdentityService identity;
    private final SessionLogin sessionLogin;
    private final AuditLog audit;
    private final Json json;

    public AuthResource(IdentityService identity, SessionLogin sessionLogin, AuditLog audit, Json json) {
        this.identity = identity;
        this.sessionLogin = sessionLogin;
        this.audit = audit;
        this.json = json;
    }

    @Override
    public void routes(ApiRoutes routes) {
        routes.post("/v1/auth/login", Access.PUBLIC, this::login)
                .post("/v1/auth/logout", Access.PUBLIC, this::logout)
                .post("/v1/auth/register", Access.PUBLIC, this::register);
    }

    private void login(ServerRequest request, ServerResponse response) {
        IdentityApi.LoginRequest body = json.read(request, IdentityApi.LoginRequest.class);
        try {
            IdentityService.Login login = identity.login(body.username(), body.password(), userAgent(request));
            sessionLogin.replaceSession(request, response, login.session());
            json.write(response, Status.OK_200, me(login.user(), login.session()));
        } finally {
            wipe(body.password());
        }
    }

    private void logout(ServerRequest request, ServerResponse response) {
        sessionLogin.endSession(request, response);
        response.status(Status.NO_CONTENT_204).send();
    }

    private void register(ServerRequest request, ServerResponse response) {
        IdentityApi.RegisterRequest body = json.read(request, IdentityApi.RegisterRequest.class);
        try {
            User user = identity.invites().redeem(body.code(), body.username(), body.password(), body.displayName());
            audit.record(user.username(), "user.register", user.id(), "role " + user.role().wireName(), null);
            LoginSessions.NewSession session = identity.sessions().create(user.id(), userAgent(request));
            sessionLogin.replaceSession(request, response, session);
            json.write(response, Status.CREATED_201, me(user, session));
        } finally {
            wipe(body.password());
        }
    }

    static IdentityApi.MeView me(User user, LoginSessions.NewSession session) {
        return new IdentityApi.MeView(IdentityViews.user(user), "session",
                Scope.allowedFor(user.role()).stream().map(Scope::wireName).sorted().toList(),
                session.csrfToken(), session.expiresAt());
    }

    static IdentityApi.MeView me(Caller caller, Optional<java.time.Instant> expiresAt) {
        return new IdentityApi.MeView(IdentityViews.user(caller.user()),
                switch (caller.method()) {
                    case SESSION -> "session";
                    case TOKEN -> "token";
                    case OIDC -> "oidc";
                },
                caller.scopes().stream().map(Scope::wireName).sorted().toList(),
                caller.csrfToken().orElse(null), expiresAt.orElse(null));
    }

    private static String userAgent(ServerRequest request) {
        return request.headers().first(HeaderNames.USER_AGENT).orElse(null);
    }

    static void wipe(char[] secret) {
        if (secret != null) {
            Arrays.fill(secret, '\0');
        }
    }
}
