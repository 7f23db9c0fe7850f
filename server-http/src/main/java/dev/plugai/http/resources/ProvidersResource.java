package dev.plugai.http.resources;

import dev.plugai.core.audit.AuditLog;
import dev.plugai.core.errors.PlugAiException;
import dev.plugai.core.identity.Caller;
import dev.plugai.core.providers.ProviderDirectory;
import dev.plugai.core.providers.ProviderService;
import dev.plugai.core.registry.ModelRecord;
import dev.plugai.http.auth.Callers;
import dev.plugai.http.json.Json;
import dev.plugai.http.routing.Access;
import dev.plugai.http.routing.ApiResource;
import dev.plugai.http.routing.ApiRoutes;
import dev.plugai.model.models.ModelsApi;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/** Remote provider instances (admins): configure, list, remove, and refresh their model listings. */
public final class ProvidersResource implements ApiResource {

    private final ProviderService providers;
    private final ModelsResource models;
    private final AuditLog audit;
    private final Json json;

    public ProvidersResource(ProviderService providers, ModelsResource models, AuditLog audit, Json json) {
        this.providers = providers;
        this.models = models;
        this.audit = audit;
        this.json = json;
    }

    @Override
    public void routes(ApiRoutes routes) {
        routes.get("/v1/admin/providers", Access.ADMIN, this::list)
                .put("/v1/admin/providers/{id}", Access.ADMIN, this::put)
                .delete("/v1/admin/providers/{id}", Access.ADMIN, this::delete)
                .post("/v1/admin/providers/{id}/refresh", Access.ADMIN, this::refresh)
                .put("/v1/admin/providers/{id}/models/{+model}", Access.ADMIN, this::register)
                .delete("/v1/admin/providers/{id}/models/{+model}", Access.ADMIN, this::unregister);
    }

    private void register(ServerRequest request, ServerResponse response) {
        Caller caller = Callers.of(request);
        ModelsApi.ModelRegistration body = json.read(request, ModelsApi.ModelRegistration.class);
        String providerId = request.path().pathParameters().get("id");
        String model = request.path().pathParameters().get("model");
        if (body.capabilities() == null || body.capabilities().stream().anyMatch(java.util.Objects::isNull)) {
            throw new PlugAiException.InvalidRequest("capabilities are one or more of chat, vision, embeddings.");
        }
        ModelRecord registered = providers.registerByHand(providerId, model, Set.copyOf(body.capabilities()),
                body.contextLength() == null ? OptionalInt.empty() : OptionalInt.of(body.contextLength()),
                Optional.ofNullable(body.displayName()));
        audit.record(caller.actor(), "provider.model.register", registered.id(),
                String.join(",", new java.util.TreeSet<>(registered.capabilities())), null);
        json.write(response, Status.OK_200, models.view(registered));
    }

    private void unregister(ServerRequest request, ServerResponse response) {
        Caller caller = Callers.of(request);
        String providerId = request.path().pathParameters().get("id");
        String model = request.path().pathParameters().get("model");
        providers.unregisterByHand(providerId, model);
        audit.record(caller.actor(), "provider.model.unregister", providerId + "/" + model, null, null);
        response.status(Status.NO_CONTENT_204).send();
    }

    private void list(ServerRequest request, ServerResponse response) {
        json.write(response, Status.OK_200, providers.directory().list().stream().map(this::view).toList());
    }

    private void put(ServerRequest request, ServerResponse response) {
        Caller caller = Callers.of(request);
        ModelsApi.ProviderRequest body = json.read(request, ModelsApi.ProviderRequest.class);
        Optional<URI> baseUrl;
        try {
            baseUrl = Optional.ofNullable(body.baseUrl()).map(URI::create);
        } catch (IllegalArgumentException e) {
            throw new PlugAiException.InvalidRequest("base_url is not a valid URL.");
        }
        ProviderDirectory.Provider provider = providers.directory().put(request.path().pathParameters().get("id"),
                body.kind(), baseUrl, Optional.ofNullable(body.headers()).orElse(Map.of()),
                Optional.ofNullable(body.allowedModels()));
        audit.record(caller.actor(), "provider.put", provider.id(), provider.endpoint().kind() + " "
                + provider.endpoint().baseUrl(), null);
        json.write(response, Status.OK_200, view(provider));
    }

    private void delete(ServerRequest request, ServerResponse response) {
        Caller caller = Callers.of(request);
        String id = request.path().pathParameters().get("id");
        providers.delete(id);
        audit.record(caller.actor(), "provider.delete", id, null, null);
        response.status(Status.NO_CONTENT_204).send();
    }

    private void refresh(ServerRequest request, ServerResponse response) {
        Caller caller = Callers.of(request);
        List<ModelRecord> listed = providers.refresh(request.path().pathParameters().get("id"), caller.user().id());
        json.write(response, Status.OK_200, listed.stream().map(models::view).toList());
    }

    private ModelsApi.ProviderView view(ProviderDirectory.Provider provider) {
        return new ModelsApi.ProviderView(provider.id(), provider.endpoint().kind(),
                provider.endpoint().baseUrl().toString(), provider.endpoint().headers(),
                provider.allowedModels().orElse(null), providers.directory().isConfigured(provider.id()));
    }
}
