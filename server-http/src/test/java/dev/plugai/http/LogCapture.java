package dev.plugai.http;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;

/** Copies what a logger writes into memory, so tests can read the log (e.g. to prove a secret is not in it). */
final class LogCapture {

    private LogCapture() {
    }

    /** Captures {@code loggerName} (the root logger for {@code Logger.ROOT_LOGGER_NAME}) from {@code level} up. */
    static ByteArrayOutputStream of(String loggerName, Level level) {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern("%-5level [%X{request_id}] %logger - %msg%n%ex");
        encoder.start();
        OutputStreamAppender<ILoggingEvent> capture = new OutputStreamAppender<>();
        capture.setContext(context);
        capture.setEncoder(encoder);
        capture.setOutputStream(log);
        capture.start();
        Logger logger = context.getLogger(loggerName);
        if (level != null) {
            logger.setLevel(level);
        }
        logger.addAppender(capture);
        return log;
    }
}
