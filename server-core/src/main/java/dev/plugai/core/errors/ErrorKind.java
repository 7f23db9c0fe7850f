package dev.plugai.core.errors;

/**
 * The kinds of error PlugAI reports. Each has a stable slug, the last part of its problem
 * {@code type} URI, and a title that is the same for every occurrence. The HTTP layer maps each
 * kind to a status in one place.
 */
public enum ErrorKind {
    INVALID_REQUEST("invalid-request", "The request is not valid"),
    MALFORMED_JSON("malformed-json", "The request body is not valid JSON"),
    UNSUPPORTED_MEDIA_TYPE("unsupported-media-type", "The request body has an unsupported content type"),
    UNAUTHENTICATED("unauthenticated", "Authentication is required"),
    FORBIDDEN("forbidden", "The caller may not do this"),
    INVITE_INVALID("invite-invalid", "The invite cannot be used"),
    TOO_MANY_ATTEMPTS("too-many-attempts", "Too many attempts; wait before trying again"),
    CREDENTIAL_UNREADABLE("credential-unreadable", "A stored credential cannot be decrypted"),
    NOT_FOUND("not-found", "The resource does not exist"),
    ROUTE_NOT_FOUND("route-not-found", "No such endpoint"),
    METHOD_NOT_ALLOWED("method-not-allowed", "The endpoint does not support this method"),
    CONFLICT("conflict", "The request conflicts with the current state"),
    PAYLOAD_TOO_LARGE("payload-too-large", "The request body is too large"),
    OVERLOADED("overloaded", "The server is busy"),
    PROVIDER_AUTH("provider-auth", "The provider refused the credential"),
    NO_CREDENTIAL("no-credential", "No credential for this provider"),
    RATE_LIMITED("rate-limited", "The provider asks to slow down"),
    UPSTREAM_ERROR("upstream-error", "The provider failed"),
    PROVIDER_REJECTED("provider-rejected", "The provider refused the request"),
    UPSTREAM_TIMEOUT("upstream-timeout", "The provider did not answer in time"),
    PROVIDER_COOLDOWN("provider-cooldown", "The provider is paused after repeated failures"),
    QUEUE_FULL("queue-full", "Too many requests are waiting for this model"),
    INSUFFICIENT_MEMORY("insufficient-memory", "Not enough memory to load the model"),
    MODEL_LOAD_FAILED("model-load-failed", "The model could not be loaded"),
    UNAVAILABLE("unavailable", "The service is temporarily unavailable"),
    INTERNAL("internal", "Internal server error");

    private final String slug;
    private final String title;

    ErrorKind(String slug, String title) {
        this.slug = slug;
        this.title = title;
    }

    public String slug() {
        return slug;
    }

    public String title() {
        return title;
    }
}
