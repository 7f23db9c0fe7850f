package dev.plugai.core.models.gguf;

/**
 * A file is not a GGUF file PlugAI will hand to a runner; the message is the reason, fit to show an
 * operator.
 */
public final class GgufFormatException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public GgufFormatException(String reason) {
        super(reason);
    }

    public GgufFormatException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
