package dev.plugai.desktop.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import dev.plugai.core.PlugAiCore;
import dev.plugai.core.config.ConfigInputs;
import dev.plugai.core.config.ConfigLoader;
import dev.plugai.core.config.PlugAiConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.slf4j.LoggerFactory;

import java.time.Clock;

/**
 * The domain opened without the HTTP server, for offline administration. Safe while the server runs:
 * SQLite in WAL mode with a busy timeout lets both write.
 */
final class OfflineCore {

    private OfflineCore() {
    }

    static PlugAiCore open(DataOptions options) {
        // Keep the command's output clean: only problems are logged, to stderr.
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).setLevel(Level.WARN);
        PlugAiConfig config = ConfigLoader.load(ConfigInputs.ofProcess(options.asSettings(), options.configFile()));
        return PlugAiCore.open(config, Clock.systemUTC(), new SimpleMeterRegistry());
    }
}
