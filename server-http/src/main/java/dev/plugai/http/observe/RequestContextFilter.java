package dev.plugai.http.observe;

import dev.plugai.http.problems.Problems;
import dev.plugai.http.routing.RouteTable;
import io.helidon.webserver.ServerConnectionException;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.stream.Stream;
import java.util.concurrent.TimeUnit;

/**
 * Wraps every request: assigns its id (header, MDC, context), turns an escaping exception into a
 * problem response, then writes the access log line and records the request in the
 * {@code http.server.requests} timer, tagged by route template rather than raw path so the number of
 * series stays bounded.
 *
 * <p>Thread-safe.
 */
public final class RequestContextFilter implements Filter {

    private static final Logger ACCESS = LoggerFactory.getLogger("plugai.access");
    private static final Logger LOG = LoggerFactory.getLogger(RequestContextFilter.class);
    /** Histogram buckets from 1 ms to 60 s: fine where API calls live, coarse where generations do. */
    private static final Duration[] LATENCY_BUCKETS = Stream.of(1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500,
            5000, 10_000, 30_000, 60_000).map(Duration::ofMillis).toArray(Duration[]::new);

    private final RouteTable routes;
    private final Problems problems;
    private final MeterRegistry meters;

    public RequestContextFilter(RouteTable routes, Problems problems, MeterRegistry meters) {
        this.routes = routes;
        this.problems = problems;
        this.meters = meters;
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest request, RoutingResponse response) {
        String requestId = RequestIds.accept(request.headers());
        RequestIds.attach(request, requestId);
        response.header(RequestIds.HEADER, requestId);
        MDC.put(RequestIds.MDC_KEY, requestId);
        long started = System.nanoTime();
        try {
            chain.proceed();
        } catch (UncheckedIOException | ServerConnectionException clientGone) {
            // The connection broke (usually the client left, e.g. after the last event of a stream);
            // nothing can be sent any more, and it is no server error.
            LOG.debug("Connection lost while answering {}", request.path().rawPath(), clientGone);
        } catch (RuntimeException error) {
            if (response.isSent()) {
                throw error;
            }
            problems.send(request, response, error);
        } finally {
            long nanos = System.nanoTime() - started;
            String method = request.prologue().method().text();
            String path = request.path().rawPath();
            int status = response.status().code();
            String route = routes.template(method.equals("HEAD") ? "GET" : method, path)
                    .orElse(status == 404 ? "UNMATCHED" : "STATIC");
            Timer.builder("http.server.requests")
                    .description("HTTP requests served, by route template and status")
                    .tag("method", method)
                    .tag("route", route)
                    .tag("status", Integer.toString(status))
                    .serviceLevelObjectives(LATENCY_BUCKETS)
                    .register(meters)
                    .record(nanos, TimeUnit.NANOSECONDS);
            ACCESS.info("{} {} {} {}ms", method, path, status, TimeUnit.NANOSECONDS.toMillis(nanos));
            MDC.remove(RequestIds.MDC_KEY);
        }
    }
}
