package dev.plugai.http;

import dev.plugai.core.config.PlugAiConfig;
import dev.plugai.http.problems.TransportProblems;
import dev.plugai.http.routing.ApiResource;
import dev.plugai.http.routing.RouteTable;
import io.helidon.webserver.WebServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The running HTTP server: Helidon SE over HTTP/1.1 with every limit set explicitly (Helidon's
 * defaults are unlimited), problem+json for the errors it answers itself, and a graceful stop that
 * lets requests in flight finish within the configured grace period.
 *
 * <p>Thread-safe.
 */
public final class PlugAiServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PlugAiServer.class);

    private final WebServer webServer;
    private final RouteTable routes;
    private final String host;

    private PlugAiServer(WebServer webServer, RouteTable routes, String host) {
        this.webServer = webServer;
        this.routes = routes;
        this.host = host;
    }

    /** Starts listening as configured; returns once the socket is bound. */
    public static PlugAiServer start(ServerContext context, List<ApiResource> extraResources) {
        PlugAiConfig.ServerSettings settings = context.core().config().server();
        AtomicReference<RouteTable> routes = new AtomicReference<>();
        WebServer webServer = WebServer.builder()
                .host(settings.host())
                .port(settings.port())
                .maxPayloadSize(settings.maxRequestBodyBytes())
                .maxConcurrentRequests(settings.maxConcurrentRequests())
                .maxTcpConnections(settings.maxConnections())
                .idleConnectionTimeout(settings.idleConnectionTimeout())
                .shutdownGracePeriod(settings.shutdownGracePeriod())
                // Streams write many small frames: without TCP_NODELAY, Nagle's algorithm and delayed ACKs
                // hold tokens back for up to 40 ms.
                .connectionOptions(options -> options.tcpNoDelay(true))
                // The launcher owns shutdown order: server first, then the database.
                .shutdownHook(false)
                .directHandlers(TransportProblems.handlers(context.problems()))
                .routing(routing -> routes.set(ApiRouting.routing(routing, context, extraResources)))
                .build()
                .start();
        PlugAiServer server = new PlugAiServer(webServer, routes.get(), settings.host());
        context.core().start();
        LOG.info("Listening on {}", server.urls());
        return server;
    }

    /** The port actually bound (the configured one, or the one picked for port 0). */
    public int port() {
        return webServer.port();
    }

    /** The routes of the API, as registered. */
    public RouteTable routes() {
        return routes;
    }

    /** URLs the server can be reached at: loopback, plus each interface address when bound to all. */
    public List<URI> urls() {
        List<URI> urls = new ArrayList<>();
        boolean wildcard = host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]");
        urls.add(URI.create("http://" + (wildcard ? "127.0.0.1" : hostForUrl(host)) + ":" + port() + "/"));
        if (wildcard) {
            for (InetAddress address : interfaceAddresses()) {
                urls.add(URI.create("http://" + hostForUrl(address.getHostAddress()) + ":" + port() + "/"));
            }
        }
        return Collections.unmodifiableList(urls);
    }

    /** Stops accepting connections and waits up to the grace period for requests in flight. */
    public void stop() {
        if (webServer.isRunning()) {
            LOG.info("Stopping: no new connections; requests in flight may finish");
            webServer.stop();
        }
    }

    @Override
    public void close() {
        stop();
    }

    private static String hostForUrl(String address) {
        String bare = address.contains("%") ? address.substring(0, address.indexOf('%')) : address;
        return bare.contains(":") && !bare.startsWith("[") ? "[" + bare + "]" : bare;
    }

    private static List<InetAddress> interfaceAddresses() {
        List<InetAddress> addresses = new ArrayList<>();
        try {
            for (NetworkInterface networkInterface : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (networkInterface.isUp() && !networkInterface.isLoopback()) {
                    for (InetAddress address : Collections.list(networkInterface.getInetAddresses())) {
                        if (!address.isLinkLocalAddress()) {
                            addresses.add(address);
                        }
                    }
                }
            }
        } catch (SocketException e) {
            LOG.debug("Cannot list network interfaces", e);
        }
        return addresses;
    }
}
