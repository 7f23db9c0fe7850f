package dev.plugai.core.backends;

/** Receives generated text as it is produced, piece by piece, on the generating thread. */
@FunctionalInterface
public interface TokenSink {

    /** A new piece of output text (one or more tokens, never empty). */
    void onText(String text);
}
