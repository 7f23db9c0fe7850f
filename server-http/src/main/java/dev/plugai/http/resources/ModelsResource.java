package dev.plugai.http.resources;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.plugai.core.errors.PlugAiException;
import dev.plugai.core.identity.Caller;
import dev.plugai.core.identity.ModelAccess;
import dev.plugai.core.identity.Scope;
import dev.plugai.core.audit.AuditLog;
import dev.plugai.core.json.JsonMappers;
import dev.plugai.core.system.ServerSettings;
import dev.plugai.core.backends.RunnerSettings;
import dev.plugai.core.lifecycle.ModelManager;
import dev.plugai.core.lifecycle.ModelState;
import dev.plugai.model.generation.GenerationApi;
import dev.plugai.core.registry.ModelRecord;
import dev.plugai.core.registry.ModelRegistry;
import dev.plugai.http.auth.Callers;
import dev.plugai.http.json.Json;
import dev.plugai.http.routing.Access;
import dev.plugai.http.routing.ApiResource;
import dev.plugai.http.routing.ApiRoutes;
import dev.plugai.model.models.ModelsApi;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The model catalogue: {@code GET /v1/models} (filters: modality, text search, source, status),
 * {@code GET /v1/models/{id}} and {@code GET /v1/models/{id}/parameters}. A model the caller may not use
 * is not there for them (404).
 */
public final class ModelsResource implements ApiResource {

    private static final ObjectMapper PLAIN = JsonMappers.create();

    private final ModelRegistry registry;
    private final ModelAccess access;
    private final ModelManager manager;
    private final AuditLog audit;
    private final ServerSettings serverSettings;
    private final Json json;

    public ModelsResource(ModelRegistry registry, ModelAccess access, ModelManager manager, AuditLog audit,
                          ServerSettings serverSettings, Json json) {
        this.serverSettings = serverSettings;
        this.registry = registry;
        this.access = access;
        this.manager = manager;
        this.audit = audit;
        this.json = json;
    }

    @Override
    public void routes(ApiRoutes routes) {
        Access read = Access.scope(Scope.MODELS_READ);
        routes.get("/v1/models", read, this::list)
                .get("/v1/models/{+id}/parameters", read, this::parameters)
                .post("/v1/models/{+id}/load", Access.ADMIN, this::load)
                .post("/v1/models/{+id}/unload", Access.ADMIN, this::unload)
                .get("/v1/models/{+id}", read, this::get)
                .put("/v1/admin/default-model", Access.ADMIN, this::setDefault)
                .put("/v1/admin/models/{+id}/settings", Access.ADMIN, this::setRunnerSettings)
                .put("/v1/admin/models/{+id}/fallbacks", Access.ADMIN, this::setFallbacks);
    }

    private void list(ServerRequest request, ServerResponse response) {
        Caller caller = Callers.of(request);
        Predicate<ModelRecord> filter = statusFilter(caller, request.query().first("status").asOptional());
        Optional<String> modality = request.query().first("modality").asOptional().map(ModelsResource::lower);
        if (modality.isPresent()) {
            filter = filter.and(model -> model.modalitiesIn().contains(modality.get())
                    || model.modalitiesOut().contains(modality.get()));
        }
        Optional<String> source = request.query().first("source").asOptional().map(ModelsResource::lower);
        if (source.isPresent()) {
            filter = filter.and(model -> model.source().equals(source.get()));
        }
        Optional<String> text = request.query().first("q").asOptional().map(ModelsResource::lower)
                .filter(value -> !value.isBlank());
        if (text.isPresent()) {
            List<String> words = List.of(text.get().strip().split("\\s+"));
            filter = filter.and(model -> {
                String haystack = lower(model.id() + " " + model.name() + " " + model.architecture().orElse("") + " "
                        + model.quantization().orElse("") + " " + String.join(" ", model.capabilities()));
                return words.stream().allMatch(haystack::contains);
            });
        }
        Predicate<ModelRecord> visible = filter.and(model -> access.permits(caller, model.id()));
        json.write(response, Status.OK_200, registry.list(visible).stream().map(this::view).toList());
    }

    private void get(ServerRequest request, ServerResponse response) {
        json.write(response, Status.OK_200, view(visibleModel(request)));
    }

    private void load(ServerRequest request, ServerResponse response) {
        ModelRecord model = visibleModel(request);
        manager.load(model.id()).exceptionally(error -> null);
        json.write(response, Status.ACCEPTED_202, view(model));
    }

    private void unload(ServerRequest request, ServerResponse response) {
        ModelRecord model = visibleModel(request);
        manager.unload(model.id());
        json.write(response, Status.OK_200, view(model));
    }

    private void setDefault(ServerRequest request, ServerResponse response) {
        Caller caller = Callers.of(request);
        GenerationApi.DefaultModelRequest body = json.read(request, GenerationApi.DefaultModelRequest.class);
        ModelRecord model = registry.find(body.model() == null ? "" : body.model())
                .filter(found -> found.status() == ModelRecord.Status.AVAILABLE && found.isLocal())
                .orElseThrow(() -> new PlugAiException.InvalidRequest("The default model must be an available local "
                        + "model (see GET /v1/models?source=local)."));
        manager.setDefault(model.id()).exceptionally(error -> null);
        serverSettings.put(ServerSettings.DEFAULT_MODEL, model.id());
        audit.record(caller.actor(), "models.default", model.id(), null, null);
        json.write(response, Status.OK_200, view(model));
    }

    private void setRunnerSettings(ServerRequest request, ServerResponse response) {
        Caller caller = Callers.of(request);
        ModelRecord model = visibleModel(request);
        if (!model.isLocal()) {
            throw new PlugAiException.InvalidRequest("Runner settings are for local models.");
        }
        ModelsApi.RunnerSettings body = json.read(request, ModelsApi.RunnerSettings.class);
        RunnerSettings settings = new RunnerSettings(within("threads", body.threads(), 256),
                within("context_size", body.contextSize(), 1 << 20), within("gpu_layers", body.gpuLayers(), 1000),
                within("parallel_slots", body.parallelSlots(), 64));
        ModelRecord updated = registry.setRunnerSettings(model.id(), settings);
        audit.record(caller.actor(), "models.settings", model.id(), String.valueOf(body), null);
        json.write(response, Status.OK_200, view(updated));
    }

    private void setFallbacks(ServerRequest request, ServerResponse response) {
        Caller caller = Callers.of(request);
        ModelRecord model = visibleModel(request);
        ModelsApi.FallbacksRequest body = json.read(request, ModelsApi.FallbacksRequest.class);
        List<String> fallbacks = body.models() == null ? List.of() : body.models();
        if (fallbacks.size() > 8) {
            throw new PlugAiException.InvalidRequest("At most 8 fallbacks.");
        }
        ModelRecord updated = registry.setFallbacks(model.id(), fallbacks);
        audit.record(caller.actor(), "models.fallbacks", model.id(), String.join(", ", fallbacks), null);
        json.write(response, Status.OK_200, view(updated));
    }

    private static int within(String name, Integer value, int max) {
        if (value == null) {
            return 0;
        }
        if (value < 0 || value > max) {
            throw new PlugAiException.InvalidRequest(name + " must be from 0 (automatic) to " + max + ".");
        }
        return value;
    }

    private void parameters(ServerRequest request, ServerResponse response) {
        ModelRecord model = visibleModel(request);
        List<ModelsApi.ParameterView> parameters = new ArrayList<>();
        model.parameterSchema().path("properties").properties().forEach(entry -> {
            JsonNode property = entry.getValue();
            parameters.add(new ModelsApi.ParameterView(entry.getKey(), property.path("type").asText(),
                    value(property.get("minimum")), value(property.get("maximum")), value(property.get("default")),
                    property.path("description").asText(null), property.path("x-guidance").asText(null)));
        });
        Map<String, Object> schema = PLAIN.convertValue(model.parameterSchema(), PLAIN.getTypeFactory()
                .constructMapType(Map.class, String.class, Object.class));
        json.write(response, Status.OK_200, new ModelsApi.ParametersView(model.id(), schema, parameters));
    }

    private ModelRecord visibleModel(ServerRequest request) {
        Caller caller = Callers.of(request);
        String id = URLDecoder.decode(request.path().pathParameters().get("id"), StandardCharsets.UTF_8);
        return registry.find(id)
                .filter(model -> access.permits(caller, model.id()))
                .orElseThrow(() -> new PlugAiException.NotFound("No model with id " + id + "."));
    }

    private static Predicate<ModelRecord> statusFilter(Caller caller, Optional<String> status) {
        String wanted = status.map(ModelsResource::lower).orElse("available");
        if (wanted.equals("any")) {
            if (!caller.isAdmin()) {
                throw new PlugAiException.Forbidden("Only admins can list missing and invalid models.");
            }
            return model -> true;
        }
        ModelRecord.Status parsed;
        try {
            parsed = ModelRecord.Status.valueOf(wanted.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new PlugAiException.InvalidRequest("status must be available, missing, invalid or any.");
        }
        if (parsed != ModelRecord.Status.AVAILABLE && !caller.isAdmin()) {
            throw new PlugAiException.Forbidden("Only admins can list missing and invalid models.");
        }
        return model -> model.status() == parsed;
    }

    ModelsApi.ModelView view(ModelRecord model) {
        ModelsApi.ModelRuntime runtime = null;
        if (model.isLocal()) {
            ModelState state = manager.state(model.id());
            runtime = new ModelsApi.ModelRuntime(lower(state.phase().name()), state.progress(), state.memoryBytes(),
                    state.lastUsedAt().orElse(null), state.isDefault(), state.failure().orElse(null));
        }
        return new ModelsApi.ModelView(model.id(), model.name(), model.source(), model.format(),
                lower(model.status().name()), model.statusReason().orElse(null), model.architecture().orElse(null),
                model.quantization().orElse(null),
                model.contextLength().isPresent() ? model.contextLength().getAsInt() : null,
                model.parameterCount().isPresent() ? model.parameterCount().getAsLong() : null,
                model.sizeBytes(), List.copyOf(model.modalitiesIn()), List.copyOf(model.modalitiesOut()),
                List.copyOf(model.capabilities()), model.details(), runtime,
                model.isLocal() ? settingsView(model.runnerSettings()) : null,
                model.fallbacks().isEmpty() ? null : model.fallbacks(), model.discoveredAt(), model.updatedAt());
    }

    private static ModelsApi.RunnerSettings settingsView(RunnerSettings settings) {
        return new ModelsApi.RunnerSettings(orNull(settings.threads()), orNull(settings.contextSize()),
                orNull(settings.gpuLayers()), orNull(settings.parallelSlots()));
    }

    private static Integer orNull(int value) {
        return value > 0 ? value : null;
    }

    private static Object value(JsonNode node) {
        return node == null ? null : PLAIN.convertValue(node, Object.class);
    }

    private static String lower(String text) {
        return text.toLowerCase(Locale.ROOT);
    }
}
