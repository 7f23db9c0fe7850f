package dev.plugai.core.backends;

/** A model cannot be loaded; the message is the reason, fit to show an operator (no stack trace). */
public final class ModelLoadException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ModelLoadException(String reason) {
        super(reason);
    }

    public ModelLoadException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
