package dev.plugai.desktop.cli;

import dev.plugai.core.PlugAiCore;
import dev.plugai.core.config.ConfigException;
import dev.plugai.core.config.ConfigInputs;
import dev.plugai.core.config.ConfigLoader;
import dev.plugai.core.config.PlugAiConfig;
import dev.plugai.core.storage.DataDirectory;
import dev.plugai.core.system.BuildInfo;
import dev.plugai.desktop.logging.LoggingSetup;
import dev.plugai.http.PlugAiServer;
import dev.plugai.http.ServerContext;
import dev.plugai.http.routing.ApiResource;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.PrintStream;
import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;

/**
 * Runs the server in the foreground: configuration, logging, core, HTTP; then waits for Ctrl-C or
 * SIGTERM and shuts down in order (stop accepting and let requests finish within the grace period,
 * then close the database, then flush the logs).
 */
final class ServerLauncher {

    /** Exit code for configuration the server cannot start with. */
    static final int EXIT_CONFIG = 2;
    /** Exit code for a start-up failure such as a port already in use. */
    static final int EXIT_START = 1;

    private final ServerOptions options;
    private final List<ApiResource> extraResources;
    private final PrintStream out;
    private final PrintStream err;

    ServerLauncher(ServerOptions options) {
        this(options, List.of(), System.out, System.err);
    }

    ServerLauncher(ServerOptions options, List<ApiResource> extraResources, PrintStream out, PrintStream err) {
        this.options = options;
        this.extraResources = extraResources;
        this.out = out;
        this.err = err;
    }

    int run() {
        PlugAiConfig config;
        try {
            config = ConfigLoader.load(ConfigInputs.ofProcess(options.asSettings(), options.configFile()));
        } catch (ConfigException e) {
            err.println("plugai: " + e.getMessage());
            return EXIT_CONFIG;
        }
        DataDirectory dataDirectory;
        try {
            dataDirectory = DataDirectory.open(config.dataDir());
        } catch (RuntimeException e) {
            err.println("plugai: " + e.getMessage());
            return EXIT_START;
        }
        LoggingSetup.configure(config.logging(), dataDirectory.logs());
        // DJL unpacks its native libraries here rather than into ~/.djl.ai.
        String djlCache = dataDirectory.root().resolve("cache").resolve("djl").toString();
        System.setProperty("DJL_CACHE_DIR", System.getProperty("DJL_CACHE_DIR", djlCache));
        System.setProperty("ENGINE_CACHE_DIR", System.getProperty("ENGINE_CACHE_DIR", djlCache));
        Logger log = LoggerFactory.getLogger(ServerLauncher.class);
        config.warnings().forEach(log::warn);
        config.configFile().ifPresent(file -> log.info("Config file: {}", file));
        log.info("PlugAI {} on Java {}; data folder {}", BuildInfo.version(), Runtime.version(), config.dataDir());

        PrometheusMeterRegistry meters = meterRegistry();
        PlugAiCore core;
        PlugAiServer server;
        try {
            core = PlugAiCore.open(config, Clock.systemUTC(), meters);
        } catch (ConfigException e) {
            err.println("plugai: " + e.getMessage());
            LoggingSetup.stop();
            return EXIT_CONFIG;
        } catch (RuntimeException e) {
            log.error("Cannot open the data folder or database", e);
            err.println("plugai: cannot open the database in " + config.dataDir() + ": " + e.getMessage());
            LoggingSetup.stop();
            return EXIT_START;
        }
        try {
            server = PlugAiServer.start(ServerContext.of(core, meters), extraResources);
        } catch (RuntimeException e) {
            log.error("Cannot start the HTTP server", e);
            err.println("plugai: cannot start the HTTP server on " + config.server().host() + ":"
                    + config.server().port() + ": " + rootMessage(e));
            core.close();
            LoggingSetup.stop();
            return EXIT_START;
        }

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            log.info("Shutting down (grace period {})", config.server().shutdownGracePeriod());
            server.stop();
            core.close();
            log.info("Stopped");
            LoggingSetup.stop();
            stopped.countDown();
        }, "plugai-shutdown"));

        out.println("PlugAI " + BuildInfo.version() + " is listening on "
                + server.urls().stream().map(URI::toString).collect(Collectors.joining(" ")));
        out.println("API reference: " + server.urls().getFirst() + "openapi   Health: "
                + server.urls().getFirst() + "v1/health   Stop: Ctrl-C");
        out.flush();
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    private static PrometheusMeterRegistry meterRegistry() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new ClassLoaderMetrics().bindTo(registry);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
        return registry;
    }

    private static String rootMessage(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }
}
