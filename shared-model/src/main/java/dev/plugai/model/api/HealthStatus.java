package dev.plugai.model.api;

/**
 * The public answer of {@code GET /v1/health}: is the server up, which version, for how long.
 *
 * @param status   {@code "ok"} while the server serves requests
 * @param version  the PlugAI version that answers
 * @param uptimeS       whole seconds since the server started
 * @param defaultModel  the default model and its state, when there is one
 */
public record HealthStatus(String status, String version, long uptimeS, DefaultModel defaultModel) {

    /**
     * The default model's readiness.
     *
     * @param id       the model id
     * @param phase    unloaded, loading, ready or failed
     * @param progress load progress 0..1
     */
    public record DefaultModel(String id, String phase, double progress) {
    }
}
