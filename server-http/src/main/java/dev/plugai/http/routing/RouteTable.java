package dev.plugai.http.routing;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The routes the API serves, as (method, path template) pairs in OpenAPI's notation
 * ({@code /v1/models/{id}}). Used to check the OpenAPI document against what is really routed, to
 * name routes in metrics without unbounded cardinality, and to tell 404 from 405.
 *
 * <p>Filled while the routing is built, read-only afterwards; safe to read from many threads then.
 */
public final class RouteTable {

    private final List<Route> routes = new ArrayList<>();

    /** Adds a route; a Helidon greedy parameter ({@code {+id}}, may span slashes) is listed as OpenAPI's {@code {id}}. */
    void add(String method, String helidonPath, Access access) {
        routes.add(new Route(method, helidonPath.replace("{+", "{"), access, compile(helidonPath)));
    }

    /** Every route, in registration order. */
    public List<Route> routes() {
        return Collections.unmodifiableList(routes);
    }

    /** The template of the route serving this method and concrete path, if any. */
    public Optional<String> template(String method, String path) {
        return routes.stream()
                .filter(route -> route.method().equals(method) && route.pattern().matcher(path).matches())
                .map(Route::template)
                .findFirst();
    }

    /** The methods routed for this concrete path, whatever the method; empty when no route matches. */
    public Set<String> methodsFor(String path) {
        Set<String> methods = new TreeSet<>();
        for (Route route : routes) {
            if (route.pattern().matcher(path).matches()) {
                methods.add(route.method());
            }
        }
        return methods;
    }

    private static Pattern compile(String template) {
        StringBuilder regex = new StringBuilder();
        for (String part : template.split("(?=\\{)|(?<=})")) {
            if (part.startsWith("{+") && part.endsWith("}")) {
                regex.append(".+");
            } else if (part.startsWith("{") && part.endsWith("}")) {
                regex.append("[^/]+");
            } else {
                regex.append(Pattern.quote(part));
            }
        }
        return Pattern.compile(regex.toString());
    }

    /**
     * One route.
     *
     * @param method   the HTTP method, upper case
     * @param template the path template, e.g. {@code /v1/jobs/{id}}
     * @param access   who may call it
     * @param pattern  the template as a regular expression over concrete paths
     */
    public record Route(String method, String template, Access access, Pattern pattern) {
    }
}
