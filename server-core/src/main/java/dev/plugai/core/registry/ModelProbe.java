package dev.plugai.core.registry;

import java.nio.file.Path;

/**
 * Recognises one format of local model on disk and reads its facts without loading it. Probes are
 * registered in one place; discovery asks each in turn and never branches on formats itself.
 */
public interface ModelProbe {

    /** The runner format this probe recognises, e.g. {@code gguf}. */
    String format();

    /** Whether {@code path} looks like this format (a cheap check on names, not contents). */
    boolean accepts(Path path, boolean directory);

    /**
     * Reads the model's facts.
     *
     * @throws InvalidModelException when the file is not a valid model of this format, with the reason
     */
    ProbedModel probe(Path path);

    /** A file or folder that looks like a model but is not a valid one; the message says why. */
    final class InvalidModelException extends RuntimeException {

        private static final long serialVersionUID = 1L;

        public InvalidModelException(String reason) {
            super(reason);
        }

        public InvalidModelException(String reason, Throwable cause) {
            super(reason, cause);
        }
    }
}
