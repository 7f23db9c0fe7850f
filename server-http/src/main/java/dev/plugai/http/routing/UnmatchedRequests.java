package dev.plugai.http.routing;

import dev.plugai.core.errors.ErrorKind;
import dev.plugai.http.problems.Problems;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.util.Set;

/**
 * The last route: a request nothing else served. 405 with {@code Allow} when the path exists under
 * other methods, 404 otherwise, both as problem+json.
 */
public final class UnmatchedRequests implements Handler {

    private final RouteTable routes;
    private final Problems problems;

    public UnmatchedRequests(RouteTable routes, Problems problems) {
        this.routes = routes;
        this.problems = problems;
    }

    @Override
    public void handle(ServerRequest request, ServerResponse response) {
        Set<String> allowed = routes.methodsFor(request.path().rawPath());
        if (allowed.isEmpty()) {
            problems.send(request, response, ErrorKind.ROUTE_NOT_FOUND,
                    "No endpoint serves " + request.path().rawPath() + ". See /openapi for the API.");
        } else {
            if (allowed.contains("GET")) {
                allowed = new java.util.TreeSet<>(allowed);
                allowed.add("HEAD");
            }
            problems.sendMethodNotAllowed(request, response, allowed);
        }
    }
}
