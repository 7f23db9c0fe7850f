package dev.plugai.http;

import dev.plugai.http.json.Json;
import dev.plugai.http.routing.Access;
import dev.plugai.http.routing.ApiResource;
import dev.plugai.http.routing.ApiRoutes;
import io.helidon.http.Status;

/** A test-only JSON endpoint: reads a {@link Greeting} through the shared body reader and echoes it. */
final class EchoResource implements ApiResource {

    record Greeting(String text, int times) {
    }

    private final Json json = new Json();

    @Override
    public void routes(ApiRoutes routes) {
        routes.post("/test/echo", Access.PUBLIC, (request, response) ->
                json.write(response, Status.OK_200, json.read(request, Greeting.class)));
        routes.get("/test/boom", Access.PUBLIC, (request, response) -> {
            throw new IllegalStateException("secret internal detail at /etc/plugai/key");
        });
    }
}
