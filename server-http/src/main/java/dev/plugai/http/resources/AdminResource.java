package dev.plugai.http.resources;

import dev.plugai.core.audit.AuditEvent;
import dev.plugai.core.audit.AuditLog;
import dev.plugai.core.errors.PlugAiException;
import dev.plugai.core.identity.ApiTokens;
import dev.plugai.core.identity.Caller;
import dev.plugai.core.identity.IdentityService;
import dev.plugai.core.identity.Invites;
import dev.plugai.core.identity.ModelAccess;
import dev.plugai.core.identity.Role;
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

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Administration of users, invites, model access rules and the audit log. Admins only. */
public final class AdminResource implements ApiResource {

    private final IdentityService identity;
    private final AuditLog audit;
    private final Json json;
    private final Clock clock;
    private final Duration defaultInviteValidity;

    public AdminResource(IdentityService identity, AuditLog audit, Json json, Clock clock,
                         Duration defaultInviteValidity) {
        this.identity = identity;
        this.audit = audit;
        this.json = json;
        this.clock = clock;
        this.defaultInviteValidity = defaultInviteValidity;
    }

    @Override
    public void routes(ApiRoutes routes) {
        routes.get("/v1/admin/users", Access.ADMIN, this::listUsers)
                .patch("/v1/admin/users/{id}", Access.ADMIN, this::updateUser)
                .post("/v1/admin/users/{id}/password", Access.ADMIN, this::resetPassword)
                .get("/v1/admin/users/{id}/tokens", Access.ADMIN, this::listUserTokens)
                .post("/v1/admin/users/{id}/tokens", Access.ADMIN, this::createUserToken)
                .delete("/v1/admin/users/{id}/tokens/{tokenId}", Access.ADMIN, this::revokeUserToken)
                .get("/v1/admin/invites", Access.ADMIN, this::listInvites)
                .post("/v1/admin/invites", Access.ADMIN, this::createInvite)
                .delete("/v1/admin/invites/{id}", Access.ADMIN, this::revokeInvite)
                .get("/v1/admin/access-rules", Access.ADMIN, this::listRules)
                .get("/v1/admin/access-rules/{+model}", Access.ADMIN, this::getRule)
                .put("/v1/admin/access-rules/{+model}", Access.ADMIN, this::putRule)
                .delete("/v1/admin/access-rules/{+model}", Access.ADMIN, this::deleteRule)
                .get("/v1/admin/audit", Access.ADMIN, this::listAudit);
    }

    private void listUsers(ServerRequest request, ServerResponse response) {
        json.write(response, Status.OK_200, identity.users().list().stream().map(IdentityViews::user).toList());
    }

    private void updateUser(ServerRequest request, ServerResponse response) {
        Caller caller = Callers.of(request);
        String userId = request.path().pathParameters().get("id");
        IdentityApi.UserUpdate body = json.read(request, IdentityApi.UserUpdate.class);
        User before = user(userId);
        User after = identity.users().update(userId, Optional.ofNullable(body.role()).map(Role::fromWire),
                Optional.ofNullable(body.disabled()));
        if (before.role() != after.role()) {
            audit.record(caller.actor(), "user.role", after.id(),
                    before.role().wireName() + " -> " + after.role().wireName(), null);
        }
        if (before.disabled() != after.disabled()) {
            audit.record(caller.actor(), after.disabled() ? "user.disable" : "user.enable", after.id(), after.username(),
                    null);
        }
        json.write(response, Status.OK_200, IdentityViews.user(after));
    }

    private void resetPassword(ServerRequest request, ServerResponse response) {
        Caller caller = Callers.of(request);
        User user = user(request.path().pathParameters().get("id"));
        IdentityApi.PasswordReset body = json.read(request, IdentityApi.PasswordReset.class);
        try {
            identity.users().setPassword(user.id(), body.newPassword());
        } finally {
            AuthResource.wipe(body.newPassword());
        }
        audit.record(caller.actor(), "user.password-reset", user.id(), user.username(), null);
        response.status(Status.NO_CONTENT_204).send();
    }

    private void listUserTokens(ServerRequest request, ServerResponse response) {
        User user = user(request.path().pathParameters().get("id"));
        json.write(response, Status.OK_200, identity.tokens().list(user.id()).stream().map(IdentityViews::token).toList());
    }

    private void createUserToken(ServerRequest request, ServerResponse response) {
        Caller caller = Callers.of(request);
        User user = user(request.path().pathParameters().get("id"));
        IdentityApi.TokenRequest body = json.read(request, IdentityApi.TokenRequest.class);
        ApiTokens.CreatedToken created = TokenRequests.create(identity.tokens(), user, body, clock);
        audit.record(caller.actor(), "token.create", created.info().id(),
                created.info().name() + " for " + user.username(), null);
        json.write(response, Status.CREATED_201,
                new IdentityApi.CreatedTokenView(created.token(), IdentityViews.token(created.info())));
    }

    private void revokeUserToken(ServerRequest request, ServerResponse response) {
        Caller caller = Callers.of(request);
        User user = user(request.path().pathParameters().get("id"));
        ApiTokens.TokenInfo revoked = identity.tokens().revoke(user.id(), request.path().pathParameters().get("tokenId"));
        audit.record(caller.actor(), "token.revoke", revoked.id(), revoked.name() + " of " + user.username(), null);
        json.write(response, Status.OK_200, IdentityViews.token(revoked));
    }

    private void listInvites(ServerRequest request, ServerResponse response) {
        json.write(response, Status.OK_200, identity.invites().list().stream()
                .map(invite -> IdentityViews.invite(invite, clock.instant())).toList());
    }

    private void createInvite(ServerRequest request, ServerResponse response) {
        Caller caller = Callers.of(request);
        IdentityApi.InviteRequest body = json.read(request, IdentityApi.InviteRequest.class);
        Role role = body.role() == null ? Role.USER : Role.fromWire(body.role());
        Duration validity = body.validForHours() == null ? defaultInviteValidity
                : Duration.ofHours(body.validForHours());
        Invites.CreatedInvite created = identity.invites().create(caller.user().id(), role, body.note(), validity);
        audit.record(caller.actor(), "invite.create", created.info().id(), "role " + role.wireName(), null);
        json.write(response, Status.CREATED_201, new IdentityApi.CreatedInviteView(created.code(),
                "/register?code=" + created.code(), IdentityViews.invite(created.info(), clock.instant())));
    }

    private void revokeInvite(ServerRequest request, ServerResponse response) {
        Caller caller = Callers.of(request);
        Invites.InviteInfo revoked = identity.invites().revoke(request.path().pathParameters().get("id"));
        audit.record(caller.actor(), "invite.revoke", revoked.id(), null, null);
        json.write(response, Status.OK_200, IdentityViews.invite(revoked, clock.instant()));
    }

    private void listRules(ServerRequest request, ServerResponse response) {
        json.write(response, Status.OK_200, identity.modelAccess().list().stream().map(IdentityViews::rule).toList());
    }

    private void getRule(ServerRequest request, ServerResponse response) {
        String model = model(request);
        ModelAccess.AccessRule rule = identity.modelAccess().find(model)
                .orElseThrow(() -> new PlugAiException.NotFound("No access rule for model " + model + "; it is open to all users."));
        json.write(response, Status.OK_200, IdentityViews.rule(rule));
    }

    private void putRule(ServerRequest request, ServerResponse response) {
        Caller caller = Callers.of(request);
        String model = model(request);
        IdentityApi.AccessRuleRequest body = json.read(request, IdentityApi.AccessRuleRequest.class);
        Set<Role> roles = EnumSet.noneOf(Role.class);
        Optional.ofNullable(body.allowedRoles()).orElse(List.of()).forEach(role -> roles.add(Role.fromWire(role)));
        Set<String> users = new HashSet<>(Optional.ofNullable(body.allowedUsers()).orElse(List.of()));
        ModelAccess.AccessRule rule = identity.modelAccess().put(model, roles, users, caller.user().id());
        audit.record(caller.actor(), "access-rule.put", model,
                "roles " + IdentityViews.rule(rule).allowedRoles() + ", " + users.size() + " users", null);
        json.write(response, Status.OK_200, IdentityViews.rule(rule));
    }

    private void deleteRule(ServerRequest request, ServerResponse response) {
        Caller caller = Callers.of(request);
        String model = model(request);
        identity.modelAccess().remove(model);
        audit.record(caller.actor(), "access-rule.delete", model, null, null);
        response.status(Status.NO_CONTENT_204).send();
    }

    private void listAudit(ServerRequest request, ServerResponse response) {
        int limit = intParameter(request, "limit", 100, 1, 1000);
        long beforeId = intParameter(request, "before_id", 0, 0, Integer.MAX_VALUE);
        List<AuditEvent> events = audit.newest(limit, beforeId);
        Long next = events.size() == limit ? events.getLast().id() : null;
        json.write(response, Status.OK_200,
                new IdentityApi.AuditPage(events.stream().map(IdentityViews::audit).toList(), next));
    }

    private User user(String id) {
        return identity.users().findById(id).orElseThrow(() -> new PlugAiException.NotFound("No user with id " + id + "."));
    }

    private static String model(ServerRequest request) {
        return URLDecoder.decode(request.path().pathParameters().get("model"), StandardCharsets.UTF_8);
    }

    private static int intParameter(ServerRequest request, String name, int fallback, int min, int max) {
        Optional<String> raw = request.query().first(name).asOptional();
        if (raw.isEmpty()) {
            return fallback;
        }
        try {
            int value = Integer.parseInt(raw.get());
            if (value < min || value > max) {
                throw new NumberFormatException();
            }
            return value;
        } catch (NumberFormatException e) {
            throw new PlugAiException.InvalidRequest(name + " must be a whole number from " + min + " to " + max + ".");
        }
    }
}
