package dev.plugai.core.registry;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plugai.core.backends.RunnerSettings;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;

/**
 * A model in the registry: where it comes from, what it can do and which parameters it takes.
 *
 * @param id              {@code local/<slug>} for local files, {@code <provider>/<model>} for providers
 * @param source          {@code local} or the provider id
 * @param format          the runner format for local models (gguf, onnx), or {@code remote}
 * @param path            the file or folder of a local model
 * @param name            a human name
 * @param sizeBytes       bytes on disk (0 for remote models)
 * @param architecture    model architecture, when known
 * @param quantization    weight format, when known
 * @param contextLength   trained context length, when known
 * @param parameterCount  number of weights, when known
 * @param modalitiesIn    accepted input modalities
 * @param modalitiesOut   produced output modalities
 * @param capabilities    chat, completion, embeddings, vision, ...
 * @param parameterSchema JSON Schema of the generation parameters this model accepts
 * @param details         further facts (size label, recommended sampling, sidecars, ...)
 * @param status          whether the model can be used
 * @param statusReason    why not, for missing or invalid models
 * @param discoveredAt    when it was first registered
 * @param updatedAt       when its facts last changed
 * @param runnerSettings  how an admin asked the runner to hold it; zeros mean automatic
 * @param fallbacks       models tried in order when this one fails before its first byte
 */
public record ModelRecord(String id, String source, String format, Optional<Path> path, String name, long sizeBytes,
                          Optional<String> architecture, Optional<String> quantization, OptionalInt contextLength,
                          OptionalLong parameterCount, Set<String> modalitiesIn, Set<String> modalitiesOut,
                          Set<String> capabilities, ObjectNode parameterSchema, Map<String, Object> details,
                          Status status, Optional<String> statusReason, Instant discoveredAt, Instant updatedAt,
                          RunnerSettings runnerSettings, java.util.List<String> fallbacks) {

    /** Whether a model can be used. */
    public enum Status {
        /** Present and valid. */
        AVAILABLE,
        /** Its file disappeared; kept so its history and settings survive a re-appearance. */
        MISSING,
        /** Present but not a valid model; {@code statusReason} says why. */
        INVALID
    }

    public boolean isLocal() {
        return source.equals("local");
    }

    /** A provider's model the operator registered by hand, rather than one the provider listed. */
    public boolean registeredByHand() {
        return Boolean.TRUE.equals(details.get(ModelRegistry.BY_HAND));
    }
}
