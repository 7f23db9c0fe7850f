package dev.plugai.model.api;

/**
 * An RFC 9457 problem detail, the body of every error response ({@code application/problem+json}).
 *
 * @param type      a stable URI per kind of error, e.g. {@code https://plugai.dev/problems/not-found}
 * @param title     a short, human summary of that kind of error; the same for every occurrence
 * @param status    the HTTP status code
 * @param detail    what went wrong this time, safe to show to the caller (never a stack trace or path)
 * @param instance  the request path the problem occurred on
 * @param requestId the request id ({@code X-Request-Id}), to find the matching server log lines
 */
public record Problem(String type, String title, int status, String detail, String instance, String requestId) {
}
