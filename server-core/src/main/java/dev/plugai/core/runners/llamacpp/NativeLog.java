package dev.plugai.core.runners.llamacpp;

import de.kherud.llama.LlamaModel;
import de.kherud.llama.LogLevel;
import de.kherud.llama.args.LogFormat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends llama.cpp's log (very chatty at load time) to SLF4J instead of stderr. The binding's logger is
 * process-wide, so it is installed once, when this class initialises.
 */
final class NativeLog {

    private static final Logger LOG = LoggerFactory.getLogger("dev.plugai.core.runners.llamacpp.native");

    static {
        LlamaModel.setLogger(LogFormat.TEXT, NativeLog::log);
    }

    private NativeLog() {
    }

    /** Makes sure the logger is installed; idempotent. */
    static void install() {
        // The static initialiser did the work.
    }

    private static void log(LogLevel level, String message) {
        String line = message.stripTrailing();
        if (line.isEmpty()) {
            return;
        }
        // Load failures come back as exceptions with a reason; their native log lines are context only.
        switch (level) {
            case ERROR, WARN -> LOG.warn(line);
            case INFO -> LOG.debug(line);
            default -> LOG.trace(line);
        }
    }
}
