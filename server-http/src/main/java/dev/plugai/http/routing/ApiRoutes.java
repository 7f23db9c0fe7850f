package dev.plugai.http.routing;

import io.helidon.http.Method;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.HttpRouting;

/**
 * Registers routes with Helidon and records each in the {@link RouteTable} at the same time, so the
 * table can never disagree with what is routed. Paths use OpenAPI's {@code {name}} templates, which
 * Helidon reads the same way.
 *
 * <p>Not thread-safe: used while the routing is being built.
 */
public final class ApiRoutes {

    private final HttpRouting.Builder routing;
    private final RouteTable table;

    public ApiRoutes(HttpRouting.Builder routing, RouteTable table) {
        this.routing = routing;
        this.table = table;
    }

    public ApiRoutes get(String path, Handler handler) {
        return route(Method.GET, path, handler);
    }

    public ApiRoutes post(String path, Handler handler) {
        return route(Method.POST, path, handler);
    }

    public ApiRoutes put(String path, Handler handler) {
        return route(Method.PUT, path, handler);
    }

    public ApiRoutes patch(String path, Handler handler) {
        return route(Method.PATCH, path, handler);
    }

    public ApiRoutes delete(String path, Handler handler) {
        return route(Method.DELETE, path, handler);
    }

    private ApiRoutes route(Method method, String path, Handler handler) {
        routing.route(method, path, handler);
        table.add(method.text(), path);
        if (method == Method.GET) {
            // HEAD is answered like GET without a body, as HTTP expects.
            routing.route(Method.HEAD, path, handler);
        }
        return this;
    }
}
