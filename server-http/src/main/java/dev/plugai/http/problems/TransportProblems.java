package dev.plugai.http.problems;

import dev.plugai.core.errors.ErrorKind;
import dev.plugai.http.observe.RequestIds;
import dev.plugai.model.api.Problem;
import io.helidon.http.DirectHandler;
import io.helidon.http.HeaderNames;
import io.helidon.http.ServerResponseHeaders;
import io.helidon.http.Status;
import io.helidon.webserver.http.DirectHandlers;


/**
 * Problem bodies for the errors Helidon answers itself before routing: a body over the size limit
 * (413, sent before the body is read), too many concurrent requests (503), an unparsable request
 * line or headers (400). Their original messages can carry internals, so only safe details are sent.
 */
public final class TransportProblems implements DirectHandler {

    private final Problems problems;

    private TransportProblems(Problems problems) {
        this.problems = problems;
    }

    /** Direct handlers for every transport event, all answering with problem+json. */
    public static DirectHandlers handlers(Problems problems) {
        TransportProblems handler = new TransportProblems(problems);
        DirectHandlers.Builder builder = DirectHandlers.builder();
        for (DirectHandler.EventType type : DirectHandler.EventType.values()) {
            builder.addHandler(type, handler);
        }
        return builder.build();
    }

    @Override
    public TransportResponse handle(TransportRequest request, EventType eventType, Status status,
                                    ServerResponseHeaders headers, String message) {
        String requestId = RequestIds.accept(request.headers());
        ErrorKind kind = Problems.kindOf(status);
        String path = request.path();
        Problem problem = Problems.problem(kind, status, Problems.safeDetail(kind),
                path == null || path.isEmpty() ? "/" : stripQuery(path), requestId);
        headers.set(HeaderNames.CONTENT_TYPE, Problems.MEDIA_TYPE);
        headers.set(RequestIds.HEADER, requestId);
        return TransportResponse.builder()
                .status(status)
                .headers(headers)
                .entity(problems.bytes(problem))
                .keepAlive(eventType.keepAlive())
                .build();
    }

    private static String stripQuery(String path) {
        int query = path.indexOf('?');
        return query < 0 ? path : path.substring(0, query);
    }

}
