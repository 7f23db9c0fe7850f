package dev.plugai.http.routing;

import io.helidon.http.Method;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.HttpRouting;

/**
 * Registers routes with Helidon and records each in the {@link RouteTable} at the same time, so the
 * table can never disagree with what is routed. Every route declares its {@link Access}, enforced by
 * the guard before the handler runs. Paths use OpenAPI's {@code {name}} templates, which
 * Helidon reads the same way.
 *
 * <p>Not thread-safe: used while the routing is being built.
 */
public final class ApiRoutes {

    private final HttpRouting.Builder routing;
    private final RouteTable table;
    private final Guard guard;

    public ApiRoutes(HttpRouting.Builder routing, RouteTable table, Guard guard) {
        this.routing = routing;
        this.table = table;
        this.guard = guard;
    }

    /** Wraps a handler so it runs only for callers the {@link Access} admits. */
    public interface Guard {
        Handler protect(Access access, Handler handler);
    }

    public ApiRoutes get(String path, Access access, Handler handler) {
        return route(Method.GET, path, access, handler);
    }

    public ApiRoutes post(String path, Access access, Handler handler) {
        return route(Method.POST, path, access, handler);
    }

    public ApiRoutes put(String path, Access access, Handler handler) {
        return route(Method.PUT, path, access, handler);
    }

    public ApiRoutes patch(String path, Access access, Handler handler) {
        return route(Method.PATCH, path, access, handler);
    }

    public ApiRoutes delete(String path, Access access, Handler handler) {
        return route(Method.DELETE, path, access, handler);
    }

    private ApiRoutes route(Method method, String path, Access access, Handler handler) {
        Handler guarded = guard.protect(access, handler);
        routing.route(method, path, guarded);
        table.add(method.text(), path, access);
        if (method == Method.GET) {
            // HEAD is answered like GET without a body, as HTTP expects.
            routing.route(Method.HEAD, path, guarded);
        }
        return this;
    }
}
