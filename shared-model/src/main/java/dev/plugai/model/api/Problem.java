package dev.plugai.model.api;

/**
 * An RFC 9457 problem detail, the body of every error response ({@code application/problem+json}).
 *
 * @param type      a stable URI per kind of error, e.g. {@code https://plugai.dev/problems/not-found}
 * @param title     a short, human summary of that kind of error; the same for every occurrence
 * @param status    the HTTP status code
 * @param detail    what went wrong this time, safe to show to the caller (never a stack trace or path)
 * @param instance  the request path the problem occurred on
 * @param requestId   the request id ({@code X-Request-Id}), to find the matching server log lines
 * @param partial     on a generation that failed after text was sent: {@code true}; otherwise absent
 * @param partialText the text generated before the failure, in a non-streamed answer; otherwise absent
 */
public record Problem(String type, String title, int status, String detail, String instance, String requestId,
                      Boolean partial, String partialText) {

    public Problem(String type, String title, int status, String detail, String instance, String requestId) {
        this(type, title, status, detail, instance, requestId, null, null);
    }

    /** This problem, marked as ending a generation whose text so far is {@code partialText} (null when streamed). */
    public Problem withPartial(String partialText) {
        return new Problem(type, title, status, detail, instance, requestId, true, partialText);
    }
}
