package dev.plugai.http.resources;

import dev.plugai.core.audit.AuditLog;
import dev.plugai.core.errors.PlugAiException;
import dev.plugai.core.identity.ApiTokens;
import dev.plugai.core.identity.Caller;
import dev.plugai.core.identity.IdentityService;
import dev.plugai.core.identity.Scope;
import dev.plugai.core.identity.User;
import dev.plugai.http.auth.Callers;
import dev.plugai.http.json.Json;
import dev.plugai.http.routing.Access;
import dev.plugai.http.routing.ApiResource;
import dev.plugai.http.routing.ApiRoutes;
import dev.plugai.model.identity.IdentityApi;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.time.Clock;
import java.util.Optional;

/** The caller's own account: profile and preferences, password, API tokens. */
public final class MeResource implements ApiResource {

    private final IdentityService identity;
    private final AuditLog audit;
    private final Json json;
    private final Clock clock;

    public MeResource(IdentityService identity, AuditLog audit, Json json, Clock clock) {
        this.identity = identity;
        this.audit = audit;
        this.json = json;
        this.clock = clock;
    }

    @Override
    public void routes(ApiRoutes routes) {
        Access account = Access.scope(Scope.ACCOUNT);
        routes.get("/v1/me", Access.AUTHENTICATED, this::me)
                .patch("/v1/me", account, this::updateProfile)
                .post("/v1/me/password", account, this::changePassword)
                .get("/v1/me/tokens", account, this::listTokens)
                .post("/v1/me/tokens", account, this::createToken)
                .delete("/v1/me/tokens/{id}", account, this::revokeToken);
    }

    private void me(ServerRequest request, ServerResponse response) {
        json.write(response, Status.OK_200, AuthResource.me(Callers.of(request), Optional.empty()));
    }

    private void updateProfile(ServerRequest request, ServerResponse response) {
        Caller caller = Callers.of(request);
        IdentityApi.ProfileUpdate body = json.read(request, IdentityApi.ProfileUpdate.class);
        if (body.preferences() != null) {
            Preferences.check(body.preferences());
        }
        User user = identity.users().updateProfile(caller.user().id(), Optional.ofNullable(body.displayName()),
                Optional.ofNullable(body.preferences()));
        json.write(response, Status.OK_200, IdentityViews.user(user));
    }

    private void changePassword(ServerRequest request, ServerResponse response) {
        Caller caller = Callers.of(request);
        IdentityApi.PasswordChange body = json.read(request, IdentityApi.PasswordChange.class);
        try {
            // Re-check the current password through the throttled login path, so this is no guessing oracle.
            identity.checkPassword(caller.user().username(), body.currentPassword());
            identity.users().setPassword(caller.user().id(), body.newPassword());
        } catch (PlugAiException.Unauthenticated wrongPassword) {
            throw new PlugAiException.Forbidden("The current password is wrong.");
        } finally {
            AuthResource.wipe(body.currentPassword());
            AuthResource.wipe(body.newPassword());
        }
        audit.record(caller.actor(), "user.password-change", caller.user().id(), "all sessions ended", null);
        response.status(Status.NO_CONTENT_204).send();
    }

    private void listTokens(ServerRequest request, ServerResponse response) {
        Caller caller = Callers.of(request);
        json.write(response, Status.OK_200,
                identity.tokens().list(caller.user().id()).stream().map(IdentityViews::token).toList());
    }

    private void createToken(ServerRequest request, ServerResponse response) {
        Caller caller = Callers.of(request);
        IdentityApi.TokenRequest body = json.read(request, IdentityApi.TokenRequest.class);
        if (caller.method() == Caller.Method.TOKEN && body.scopes() != null && body.scopes().stream()
                .map(Scope::fromWire).anyMatch(scope -> !caller.has(scope))) {
            throw new PlugAiException.Forbidden("A token cannot create a token with scopes it does not hold itself.");
        }
        ApiTokens.CreatedToken created = TokenRequests.create(identity.tokens(), caller.user(), body, clock);
        audit.record(caller.actor(), "token.create", created.info().id(), created.info().name(), null);
        json.write(response, Status.CREATED_201,
                new IdentityApi.CreatedTokenView(created.token(), IdentityViews.token(created.info())));
    }

    private void revokeToken(ServerRequest request, ServerResponse response) {
        Caller caller = Callers.of(request);
        ApiTokens.TokenInfo revoked = identity.tokens().revoke(caller.user().id(), request.path().pathParameters().get("id"));
        audit.record(caller.actor(), "token.revoke", revoked.id(), revoked.name(), null);
        json.write(response, Status.OK_200, IdentityViews.token(revoked));
    }
}
