package dev.plugai.http.resources;

import dev.plugai.core.audit.AuditLog;
import dev.plugai.core.errors.PlugAiException;
import dev.plugai.core.identity.Caller;
import dev.plugai.core.identity.Scope;
import dev.plugai.core.identity.credentials.CredentialOwner;
import dev.plugai.core.identity.credentials.CredentialSecret;
import dev.plugai.core.identity.credentials.CredentialVault;
import dev.plugai.core.identity.credentials.ProviderCredential;
import dev.plugai.http.auth.Callers;
import dev.plugai.http.json.Json;
import dev.plugai.http.routing.Access;
import dev.plugai.http.routing.ApiResource;
import dev.plugai.http.routing.ApiRoutes;
import dev.plugai.model.identity.IdentityApi;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.util.function.Function;

/**
 * Provider credentials: each user's own under {@code /v1/me/credentials}, the operator's under
 * {@code /v1/admin/credentials}. Written in full, read back only masked.
 */
public final class CredentialsResource implements ApiResource {

    private final CredentialVault vault;
    private final AuditLog audit;
    private final Json json;

    public CredentialsResource(CredentialVault vault, AuditLog audit, Json json) {
        this.vault = vault;
        this.audit = audit;
        this.json = json;
    }

    /** The body of a credential PUT: the secret with its {@code type}, and (operator only) whether it is shared. */
    record CredentialRequest(CredentialSecret secret, Boolean sharedWithUsers) {
        @Override
        public String toString() {
            return "CredentialRequest[type=" + (secret == null ? null : secret.type()) + "]";
        }
    }

    @Override
    public void routes(ApiRoutes routes) {
        Access account = Access.scope(Scope.ACCOUNT);
        Function<ServerRequest, CredentialOwner> self = request -> CredentialOwner.user(Callers.of(request).user().id());
        Function<ServerRequest, CredentialOwner> operator = request -> CredentialOwner.operator();
        routes.get("/v1/me/credentials", account, (request, response) -> list(self.apply(request), response))
                .get("/v1/me/credentials/{provider}", account, (request, response) -> get(self.apply(request), request, response))
                .put("/v1/me/credentials/{provider}", account, (request, response) -> put(self.apply(request), request, response))
                .delete("/v1/me/credentials/{provider}", account, (request, response) -> delete(self.apply(request), request, response))
                .get("/v1/admin/credentials", Access.ADMIN, (request, response) -> list(operator.apply(request), response))
                .get("/v1/admin/credentials/{provider}", Access.ADMIN, (request, response) -> get(operator.apply(request), request, response))
                .put("/v1/admin/credentials/{provider}", Access.ADMIN, (request, response) -> put(operator.apply(request), request, response))
                .delete("/v1/admin/credentials/{provider}", Access.ADMIN, (request, response) -> delete(operator.apply(request), request, response));
    }

    private void list(CredentialOwner owner, ServerResponse response) {
        json.write(response, Status.OK_200, vault.list(owner).stream().map(CredentialsResource::view).toList());
    }

    private void get(CredentialOwner owner, ServerRequest request, ServerResponse response) {
        String provider = provider(request);
        ProviderCredential credential = vault.describe(owner, provider)
                .orElseThrow(() -> new PlugAiException.NotFound("No credential for provider " + provider + "."));
        json.write(response, Status.OK_200, view(credential));
    }

    private void put(CredentialOwner owner, ServerRequest request, ServerResponse response) {
        Caller caller = Callers.of(request);
        CredentialRequest body = json.read(request, CredentialRequest.class);
        if (body.secret() == null) {
            throw new PlugAiException.InvalidRequest("The body needs a 'secret' object with a 'type'.");
        }
        if (!owner.isOperator() && body.sharedWithUsers() != null) {
            throw new PlugAiException.InvalidRequest("Only operator credentials can be shared; leave out shared_with_users.");
        }
        String provider = provider(request);
        ProviderCredential stored = vault.put(owner, provider, body.secret(), Boolean.TRUE.equals(body.sharedWithUsers()));
        audit.record(caller.actor(), owner.isOperator() ? "operator-credential.put" : "credential.put", provider,
                "type " + stored.type(), null);
        json.write(response, Status.OK_200, view(stored));
    }

    private void delete(CredentialOwner owner, ServerRequest request, ServerResponse response) {
        Caller caller = Callers.of(request);
        String provider = provider(request);
        if (!vault.delete(owner, provider)) {
            throw new PlugAiException.NotFound("No credential for provider " + provider + ".");
        }
        audit.record(caller.actor(), owner.isOperator() ? "operator-credential.delete" : "credential.delete", provider,
                null, null);
        response.status(Status.NO_CONTENT_204).send();
    }

    private static String provider(ServerRequest request) {
        return request.path().pathParameters().get("provider");
    }

    private static IdentityApi.CredentialView view(ProviderCredential credential) {
        return new IdentityApi.CredentialView(credential.provider(), credential.type(), credential.masked(),
                credential.owner().isOperator() ? credential.sharedWithUsers() : null, credential.createdAt(),
                credential.updatedAt());
    }
}
