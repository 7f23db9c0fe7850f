package dev.plugai.model.api;

/**
 * The public answer of {@code GET /v1/health}: is the server up, which version, for how long.
 *
 * @param status   {@code "ok"} while the server serves requests
 * @param version  the PlugAI version that answers
 * @param uptimeS  whole seconds since the server started
 */
public record HealthStatus(String status, String version, long uptimeS) {
}
