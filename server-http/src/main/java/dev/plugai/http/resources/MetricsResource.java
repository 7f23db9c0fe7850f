package dev.plugai.http.resources;

import dev.plugai.http.routing.Access;
import dev.plugai.http.routing.ApiResource;
import dev.plugai.http.routing.ApiRoutes;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.nio.charset.StandardCharsets;

/** {@code GET /metrics}: every meter in the Prometheus text exposition format. */
public final class MetricsResource implements ApiResource {

    private static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final PrometheusMeterRegistry registry;

    public MetricsResource(PrometheusMeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void routes(ApiRoutes routes) {
        routes.get("/metrics", Access.PUBLIC, this::scrape);
    }

    private void scrape(ServerRequest request, ServerResponse response) {
        response.header(HeaderNames.CONTENT_TYPE, CONTENT_TYPE);
        response.header(HeaderNames.CACHE_CONTROL, "no-store");
        response.send(registry.scrape().getBytes(StandardCharsets.UTF_8));
    }
}
