package dev.plugai.http.routing;

/**
 * One resource of the API (health, models, sessions, ...): declares its route table at the top of
 * its class through {@link ApiRoutes}, then handles each route in a short method of its own.
 */
public interface ApiResource {

    void routes(ApiRoutes routes);
}
