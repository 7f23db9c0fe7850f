package dev.plugai.core.generation;

import dev.plugai.core.backends.GenerationResult;
import dev.plugai.core.errors.ErrorKind;

/**
 * What a caller hears about a generation job, in order: {@code queued} (whenever its place changes),
 * {@code loading} (while its model loads), {@code fallback} (when another model answers), {@code started},
 * {@code delta} (each piece of text), then one of {@code done} or {@code error}.
 */
public sealed interface GenerationEvent {

    /** The SSE event name. */
    String name();

    /** Waiting for a slot: {@code position} in the line (1 = next), {@code ahead} jobs that start first. */
    record Queued(int position, int ahead) implements GenerationEvent {
        public String name() {
            return "queued";
        }
    }

    /** The model is loading; {@code progress} from 0 to 1. */
    record Loading(String model, double progress) implements GenerationEvent {
        public String name() {
            return "loading";
        }
    }

    /** The requested model is not ready, so {@code used} answers while it loads. */
    record Fallback(String requested, String used) implements GenerationEvent {
        public String name() {
            return "fallback";
        }
    }

    /** Generation began. */
    record Started(String jobId, String model) implements GenerationEvent {
        public String name() {
            return "started";
        }
    }

    /** A piece of output text. */
    record Delta(String text) implements GenerationEvent {
        public String name() {
            return "delta";
        }
    }

    /** The job ended normally or was cancelled. */
    record Done(GenerationResult.FinishReason finishReason, GenerationResult.Usage usage,
                GenerationResult.Timings timings) implements GenerationEvent {
        public String name() {
            return "done";
        }
    }

    /**
     * The job failed; the stream ends. {@code partial} says that text was already sent: the deltas so far are
     * an unfinished answer, kept for the caller rather than taken back.
     */
    record Failed(ErrorKind kind, String detail, boolean partial) implements GenerationEvent {
        public Failed(ErrorKind kind, String detail) {
            this(kind, detail, false);
        }

        public String name() {
            return "error";
        }
    }
}
