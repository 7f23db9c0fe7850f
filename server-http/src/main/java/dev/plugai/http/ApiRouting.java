package dev.plugai.http;

import dev.plugai.core.PlugAiCore;
import dev.plugai.http.auth.HttpAuthenticator;
import dev.plugai.http.generation.EmbeddingsResource;
import dev.plugai.http.generation.GenerateResource;
import dev.plugai.http.generation.JobsResource;
import dev.plugai.http.auth.OidcVerifier;
import dev.plugai.http.auth.SessionCookies;
import dev.plugai.http.auth.SessionLogin;
import dev.plugai.http.observe.RequestContextFilter;
import dev.plugai.http.resources.AdminResource;
import dev.plugai.http.resources.AuthResource;
import dev.plugai.http.resources.CredentialsResource;
import dev.plugai.http.resources.MeResource;
import dev.plugai.http.resources.ModelsResource;
import dev.plugai.http.resources.ProvidersResource;
import dev.plugai.http.resources.HealthResource;
import dev.plugai.http.resources.MetricsResource;
import dev.plugai.http.resources.OpenApiResource;
import dev.plugai.http.routing.ApiResource;
import dev.plugai.http.routing.ApiRoutes;
import dev.plugai.http.routing.RouteTable;
import dev.plugai.http.routing.UnmatchedRequests;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.staticcontent.ClasspathHandlerConfig;
import io.helidon.webserver.staticcontent.StaticContentFeature;

import java.util.ArrayList;
import java.util.List;

/**
 * Composes the whole HTTP routing. The server and the tests both build their routing here, so what is
 * tested is what is served.
 */
public final class ApiRouting {

    private ApiRouting() {
    }

    /**
     * Adds every route, filter and error handler to {@code routing}.
     *
     * @param extra resources added after the built-in ones (tests use this for probes such as a slow route)
     * @return the table of API routes, for the OpenAPI agreement check
     */
    public static RouteTable routing(HttpRouting.Builder routing, ServerContext context, List<ApiResource> extra) {
        RouteTable table = new RouteTable();
        routing.addFilter(new RequestContextFilter(table, context.problems(), context.prometheus()));

        PlugAiCore core = context.core();
        SessionCookies cookies = new SessionCookies(core.config().auth().secureCookies());
        HttpAuthenticator authenticator = new HttpAuthenticator(core.identity(), cookies,
                OidcVerifier.from(core.config().auth(), core.identity(), core.clock()));
        ApiRoutes routes = new ApiRoutes(routing, table, authenticator);
        SessionLogin sessionLogin = new SessionLogin(core.identity().sessions(), cookies, core.clock());
        ModelsResource modelsResource = new ModelsResource(core.models(), core.identity().modelAccess(),
                core.modelManager(), core.auditLog(), core.serverSettings(), context.json());
        List<ApiResource> resources = new ArrayList<>(List.of(
                new HealthResource(context.json(), core.clock(), core.startedAt(), core.modelManager()),
                new OpenApiResource(context.json()),
                new MetricsResource(context.prometheus()),
                new AuthResource(core.identity(), sessionLogin, core.auditLog(), context.json()),
                new MeResource(core.identity(), core.auditLog(), context.json(), core.clock()),
                new AdminResource(core.identity(), core.auditLog(), context.json(), core.clock(),
                        core.config().auth().inviteValidity()),
                new CredentialsResource(core.credentials(), core.auditLog(), context.json()),
                modelsResource,
                new ProvidersResource(core.providers(), modelsResource, core.auditLog(), context.json()),
                new GenerateResource(core.generation(), core.scheduler(), context.json(), context.problems()),
                new JobsResource(core.scheduler(), context.json()),
                new EmbeddingsResource(core.embeddings(), context.json())));
        resources.addAll(extra);
        resources.forEach(resource -> resource.routes(routes));

        routing.register("/", StaticContentFeature.createService(ClasspathHandlerConfig.builder()
                .location("web")
                .welcome("index.html")
                .build()));
        routing.any(new UnmatchedRequests(table, context.problems()));
        routing.error(Throwable.class, context.problems()::send);
        return table;
    }
}
