package dev.plugai.http.observe;

import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.Headers;
import io.helidon.webserver.http.ServerRequest;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The request id that ties a response to its log lines: taken from the caller's {@code X-Request-Id}
 * when it is a sane token (so a proxy's id carries through), generated otherwise.
 */
public final class RequestIds {

    public static final HeaderName HEADER = HeaderNames.create("X-Request-Id");
    /** The MDC key under which every log line of a request carries its id. */
    public static final String MDC_KEY = "request_id";

    private static final String CONTEXT_KEY = "plugai.request-id";
    private static final Pattern ACCEPTABLE = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private RequestIds() {
    }

    /** The caller's id when acceptable, else a new one. */
    public static String accept(Headers headers) {
        return headers.first(HEADER)
                .filter(id -> ACCEPTABLE.matcher(id).matches())
                .orElseGet(RequestIds::generate);
    }

    static String generate() {
        byte[] bytes = new byte[12];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    static void attach(ServerRequest request, String requestId) {
        request.context().register(CONTEXT_KEY, requestId);
    }

    /** The id of this request, as assigned by the request filter. */
    public static String of(ServerRequest request) {
        Optional<String> attached = request.context().get(CONTEXT_KEY, String.class);
        return attached.orElseGet(() -> accept(request.headers()));
    }
}
