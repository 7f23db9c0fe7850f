package dev.plugai.http.resources;

import dev.plugai.core.lifecycle.ModelManager;
import dev.plugai.core.system.BuildInfo;
import dev.plugai.http.json.Json;
import dev.plugai.http.routing.Access;
import dev.plugai.http.routing.ApiResource;
import dev.plugai.http.routing.ApiRoutes;
import dev.plugai.model.api.HealthStatus;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/** {@code GET /v1/health}: public liveness, version and uptime, for monitors and the settings page's check. */
public final class HealthResource implements ApiResource {

    private final Json json;
    private final Clock clock;
    private final Instant startedAt;
    private final ModelManager models;

    public HealthResource(Json json, Clock clock, Instant startedAt, ModelManager models) {
        this.json = json;
        this.clock = clock;
        this.startedAt = startedAt;
        this.models = models;
    }

    @Override
    public void routes(ApiRoutes routes) {
        routes.get("/v1/health", Access.PUBLIC, this::health);
    }

    private void health(ServerRequest request, ServerResponse response) {
        long uptime = Duration.between(startedAt, clock.instant()).toSeconds();
        HealthStatus.DefaultModel defaultModel = models.defaultModel().map(models::state)
                .map(state -> new HealthStatus.DefaultModel(state.modelId(),
                        state.phase().name().toLowerCase(java.util.Locale.ROOT), state.progress()))
                .orElse(null);
        json.write(response, Status.OK_200, new HealthStatus("ok", BuildInfo.version(), uptime, defaultModel));
    }
}
