package dev.plugai.core.errors;

/**
 * The root of every error the domain reports on purpose. Its message is the problem's
 * {@code detail}: written for the caller, so it never holds a secret, a stack trace or a path.
 */
public sealed class PlugAiException extends RuntimeException
        permits PlugAiException.InvalidRequest, PlugAiException.NotFound, PlugAiException.Conflict,
        PlugAiException.Unavailable, PlugAiException.Unauthenticated, PlugAiException.Forbidden,
        PlugAiException.Throttled, PlugAiException.Internal, PlugAiException.Upstream {

    private static final long serialVersionUID = 1L;

    private final ErrorKind kind;

    private PlugAiException(ErrorKind kind, String detail, Throwable cause) {
        super(detail, cause, false, cause != null);
        this.kind = kind;
    }

    public ErrorKind kind() {
        return kind;
    }

    /** The caller sent something that cannot be served as it is. */
    public static final class InvalidRequest extends PlugAiException {
        private static final long serialVersionUID = 1L;

        public InvalidRequest(String detail) {
            super(ErrorKind.INVALID_REQUEST, detail, null);
        }

        public InvalidRequest(ErrorKind kind, String detail) {
            super(kind, detail, null);
        }
    }

    /** The thing asked for does not exist, or the caller may not know that it does. */
    public static final class NotFound extends PlugAiException {
        private static final long serialVersionUID = 1L;

        public NotFound(String detail) {
            super(ErrorKind.NOT_FOUND, detail, null);
        }
    }

    /** The request is valid but clashes with the current state. */
    public static final class Conflict extends PlugAiException {
        private static final long serialVersionUID = 1L;

        public Conflict(String detail) {
            super(ErrorKind.CONFLICT, detail, null);
        }
    }

    /** Temporarily unable to serve; trying again later may work. */
    public static final class Unavailable extends PlugAiException {
        private static final long serialVersionUID = 1L;

        public Unavailable(ErrorKind kind, String detail, Throwable cause) {
            super(kind, detail, cause);
        }
    }

    /** No valid credentials came with the request. The detail never says which part was wrong. */
    public static final class Unauthenticated extends PlugAiException {
        private static final long serialVersionUID = 1L;

        public Unauthenticated(String detail) {
            super(ErrorKind.UNAUTHENTICATED, detail, null);
        }
    }

    /** The caller is known but may not do this. */
    public static final class Forbidden extends PlugAiException {
        private static final long serialVersionUID = 1L;

        public Forbidden(String detail) {
            super(ErrorKind.FORBIDDEN, detail, null);
        }
    }

    /** Too many attempts; the caller should wait {@link #retryAfter()} before trying again. */
    public static final class Throttled extends PlugAiException {
        private static final long serialVersionUID = 1L;

        private final java.time.Duration retryAfter;

        public Throttled(String detail, java.time.Duration retryAfter) {
            super(ErrorKind.TOO_MANY_ATTEMPTS, detail, null);
            this.retryAfter = retryAfter;
        }

        public java.time.Duration retryAfter() {
            return retryAfter;
        }
    }

    /** Something on the server side is wrong in a way the caller cannot fix, e.g. unreadable stored data. */
    public static final class Internal extends PlugAiException {
        private static final long serialVersionUID = 1L;

        public Internal(ErrorKind kind, String detail, Throwable cause) {
            super(kind, detail, cause);
        }
    }

    /**
     * A provider failed. {@link #beforeFirstByte()} tells whether any output had been received (only then
     * may a caller retry or fall back); {@link #retryAfter()} carries the provider's own hint.
     */
    public static final class Upstream extends PlugAiException {
        private static final long serialVersionUID = 1L;

        private final boolean beforeFirstByte;
        private final java.time.Duration retryAfter;

        public Upstream(ErrorKind kind, String detail, boolean beforeFirstByte, java.time.Duration retryAfter,
                        Throwable cause) {
            super(kind, detail, cause);
            this.beforeFirstByte = beforeFirstByte;
            this.retryAfter = retryAfter;
        }

        public boolean beforeFirstByte() {
            return beforeFirstByte;
        }

        public java.util.Optional<java.time.Duration> retryAfter() {
            return java.util.Optional.ofNullable(retryAfter);
        }
    }
}
