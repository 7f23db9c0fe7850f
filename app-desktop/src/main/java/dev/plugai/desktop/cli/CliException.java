package dev.plugai.desktop.cli;

/** A command cannot go on; its message is printed as {@code plugai: <message>} and the exit code is 1. */
final class CliException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    CliException(String message) {
        super(message);
    }
}
