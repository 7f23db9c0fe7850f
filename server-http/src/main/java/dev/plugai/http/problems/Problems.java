package dev.plugai.http.problems;

import dev.plugai.core.errors.ErrorKind;
import dev.plugai.core.errors.PlugAiException;
import dev.plugai.http.json.Json;
import dev.plugai.http.observe.RequestIds;
import dev.plugai.model.api.Problem;
import io.helidon.http.HeaderNames;
import io.helidon.http.HttpException;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Collection;

/**
 * The one place where errors become HTTP: each {@link ErrorKind} has its status here, and every error
 * response is an RFC 9457 {@code application/problem+json} body with a stable {@code type}, the
 * request path as {@code instance} and the request id. Unexpected exceptions are logged with their
 * stack trace and answered with a generic 500 that reveals nothing but the request id.
 *
 * <p>Thread-safe.
 */
public final class Problems {

    public static final String MEDIA_TYPE = "application/problem+json";
    public static final String TYPE_BASE = "https://plugai.dev/problems/";

    private static final Logger LOG = LoggerFactory.getLogger(Problems.class);

    private final Json json;

    public Problems(Json json) {
        this.json = json;
    }

    /** The HTTP status of each kind of error. */
    public static Status statusOf(ErrorKind kind) {
        return switch (kind) {
            case INVALID_REQUEST, MALFORMED_JSON, INVITE_INVALID, PROVIDER_REJECTED -> Status.BAD_REQUEST_400;
            case UNAUTHENTICATED -> Status.UNAUTHORIZED_401;
            case FORBIDDEN -> Status.FORBIDDEN_403;
            case TOO_MANY_ATTEMPTS, RATE_LIMITED -> Status.TOO_MANY_REQUESTS_429;
            case NO_CREDENTIAL -> Status.FORBIDDEN_403;
            case PROVIDER_AUTH, UPSTREAM_ERROR -> Status.BAD_GATEWAY_502;
            case UPSTREAM_TIMEOUT -> Status.GATEWAY_TIMEOUT_504;
            case UNSUPPORTED_MEDIA_TYPE -> Status.UNSUPPORTED_MEDIA_TYPE_415;
            case NOT_FOUND, ROUTE_NOT_FOUND -> Status.NOT_FOUND_404;
            case METHOD_NOT_ALLOWED -> Status.METHOD_NOT_ALLOWED_405;
            case CONFLICT -> Status.CONFLICT_409;
            case PAYLOAD_TOO_LARGE -> Status.REQUEST_ENTITY_TOO_LARGE_413;
            case OVERLOADED, UNAVAILABLE, QUEUE_FULL, MODEL_LOAD_FAILED, PROVIDER_COOLDOWN ->
                    Status.SERVICE_UNAVAILABLE_503;
            case INSUFFICIENT_MEMORY -> Status.create(507, "Insufficient Storage");
            case INTERNAL, CREDENTIAL_UNREADABLE -> Status.INTERNAL_SERVER_ERROR_500;
        };
    }

    /** The kind of error a transport-level status stands for (Helidon's own refusals). */
    public static ErrorKind kindOf(Status status) {
        return switch (status.code()) {
            case 400 -> ErrorKind.INVALID_REQUEST;
            case 404 -> ErrorKind.ROUTE_NOT_FOUND;
            case 405 -> ErrorKind.METHOD_NOT_ALLOWED;
            case 413 -> ErrorKind.PAYLOAD_TOO_LARGE;
            case 415 -> ErrorKind.UNSUPPORTED_MEDIA_TYPE;
            case 503 -> ErrorKind.OVERLOADED;
            default -> status.code() >= 500 ? ErrorKind.INTERNAL : ErrorKind.INVALID_REQUEST;
        };
    }

    /** A problem body of {@code kind} about {@code instance}. */
    public static Problem problem(ErrorKind kind, Status status, String detail, String instance, String requestId) {
        return new Problem(TYPE_BASE + kind.slug(), kind.title(), status.code(), detail, instance, requestId);
    }

    /** Answers with a problem of {@code kind}. */
    public void send(ServerRequest request, ServerResponse response, ErrorKind kind, String detail) {
        send(response, problem(kind, statusOf(kind), detail, request.path().rawPath(), RequestIds.of(request)));
    }

    /** Answers 405 with the methods that are allowed. */
    public void sendMethodNotAllowed(ServerRequest request, ServerResponse response, Collection<String> allowed) {
        response.header(HeaderNames.ALLOW, String.join(", ", allowed));
        send(request, response, ErrorKind.METHOD_NOT_ALLOWED,
                "This endpoint accepts " + String.join(", ", allowed) + ", not " + request.prologue().method().text() + ".");
    }

    /**
     * Answers for a generation that failed after producing {@code partialText}: the problem of {@code error},
     * flagged partial and carrying the text, so a caller of the non-streamed API loses nothing.
     */
    public void sendPartial(ServerRequest request, ServerResponse response, PlugAiException error,
                            String partialText) {
        addHeaders(response, error);
        send(response, problem(error.kind(), statusOf(error.kind()), error.getMessage(), request.path().rawPath(),
                RequestIds.of(request)).withPartial(partialText));
    }

    /** Answers for any throwable: domain errors as themselves, Helidon's by their status, the rest as 500. */
    public void send(ServerRequest request, ServerResponse response, Throwable error) {
        String requestId = RequestIds.of(request);
        String instance = request.path().rawPath();
        Problem problem;
        if (error instanceof PlugAiException domain) {
            if (domain instanceof PlugAiException.Internal) {
                LOG.error("{} on {} {}", domain.getMessage(), request.prologue().method().text(), instance, error);
            }
            addHeaders(response, domain);
            problem = problem(domain.kind(), statusOf(domain.kind()), domain.getMessage(), instance, requestId);
        } else if (error instanceof HttpException http && http.status().code() < 500) {
            ErrorKind kind = kindOf(http.status());
            problem = problem(kind, http.status(), safeDetail(kind), instance, requestId);
        } else {
            LOG.error("Unexpected error on {} {}", request.prologue().method().text(), instance, error);
            problem = problem(ErrorKind.INTERNAL, Status.INTERNAL_SERVER_ERROR_500,
                    "An unexpected error occurred. Quote request id " + requestId + " when reporting it.",
                    instance, requestId);
        }
        send(response, problem);
    }

    private static void addHeaders(ServerResponse response, PlugAiException error) {
        switch (error) {
            case PlugAiException.Unauthenticated ignored ->
                    response.header(HeaderNames.WWW_AUTHENTICATE, "Bearer realm=\"plugai\"");
            case PlugAiException.Throttled throttled -> response.header(HeaderNames.RETRY_AFTER,
                    Long.toString(Math.max(1, (throttled.retryAfter().toMillis() + 999) / 1000)));
            case PlugAiException.Unavailable unavailable when unavailable.kind() == ErrorKind.QUEUE_FULL ->
                    response.header(HeaderNames.RETRY_AFTER, "2");
            case PlugAiException.Upstream upstream when upstream.retryAfter().isPresent() -> response.header(
                    HeaderNames.RETRY_AFTER, Long.toString(Math.max(1, upstream.retryAfter().get().toSeconds())));
            default -> { }
        }
    }

    /** The problem body as bytes, for transport-level responses written outside routing. */
    byte[] bytes(Problem problem) {
        return json.bytes(problem);
    }

    /** A generic, safe detail for errors whose original message may carry internals. */
    static String safeDetail(ErrorKind kind) {
        return switch (kind) {
            case PAYLOAD_TOO_LARGE -> "The request body exceeds the server's limit.";
            case OVERLOADED -> "Too many requests are in progress; try again shortly.";
            case ROUTE_NOT_FOUND -> "No endpoint serves this path.";
            case METHOD_NOT_ALLOWED -> "This endpoint does not accept this method.";
            case UNSUPPORTED_MEDIA_TYPE -> "The content type of the body is not accepted here.";
            default -> "The request could not be processed.";
        };
    }

    private void send(ServerResponse response, Problem problem) {
        response.status(Status.create(problem.status()));
        response.header(HeaderNames.CONTENT_TYPE, MEDIA_TYPE);
        response.header(HeaderNames.CACHE_CONTROL, "no-store");
        response.send(json.bytes(problem));
    }
}
