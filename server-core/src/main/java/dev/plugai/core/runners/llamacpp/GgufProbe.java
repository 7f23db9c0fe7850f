package dev.plugai.core.runners.llamacpp;

import dev.plugai.core.backends.SamplingParameters;
import dev.plugai.core.models.gguf.GgufFile;
import dev.plugai.core.models.gguf.GgufFormatException;
import dev.plugai.core.models.gguf.GgufReader;
import dev.plugai.core.models.gguf.GgufSummary;
import dev.plugai.core.registry.ModelProbe;
import dev.plugai.core.registry.ProbedModel;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Discovery's view of GGUF files: reads (and thereby validates) the header, metadata and tensor table,
 * and describes the model. Only the first part of a split model is a model; {@code mmproj-*} vision
 * projectors are sidecars, noted on the model in the same folder (the local runner does not take images yet).
 */
public final class GgufProbe implements ModelProbe {

    private static final Pattern SPLIT_PART = Pattern.compile("(?i)(.*)-(\\d{5})-of-(\\d{5})\\.gguf");

    @Override
    public String format() {
        return "gguf";
    }

    @Override
    public boolean accepts(Path path, boolean directory) {
        String name = path.getFileName().toString();
        if (directory || !name.toLowerCase(Locale.ROOT).endsWith(".gguf") || isSidecar(name)) {
            return false;
        }
        Matcher split = SPLIT_PART.matcher(name);
        return !split.matches() || Integer.parseInt(split.group(2)) == 1;
    }

    @Override
    public ProbedModel probe(Path path) {
        GgufFile file;
        try {
            file = GgufReader.read(path);
        } catch (GgufFormatException e) {
            throw new InvalidModelException(e.getMessage(), e);
        } catch (IOException e) {
            throw new InvalidModelException("The file cannot be read.", e);
        }
        GgufSummary summary = file.summary();
        if (summary.multimodalProjector()) {
            throw new InvalidModelException("This is a vision projector (mmproj) sidecar, not a model on its own.");
        }
        Optional<Path> projector = projectorBeside(path);
        boolean embedding = summary.embedding();
        // A projector beside the model is noted, but the model is not offered for images: the llama.cpp
        // binding runs text only, and claiming "vision" would let images be dropped without a word.
        Set<String> capabilities = embedding ? Set.of("embeddings")
                : summary.chatTemplate().isPresent() ? Set.of("chat", "completion") : Set.of("completion");
        Set<String> inputs = Set.of("text");
        Map<String, Object> details = new LinkedHashMap<>();
        summary.sizeLabel().ifPresent(label -> details.put("size_label", label));
        details.put("has_chat_template", summary.chatTemplate().isPresent());
        details.put("gguf_version", file.version());
        summary.split().ifPresent(split -> details.put("split_parts", split.count()));
        projector.ifPresent(sidecar -> details.put("vision_projector", sidecar.getFileName().toString()));
        return new ProbedModel("gguf", summary.name().orElse(stem(path)), totalSize(path, summary),
                Optional.of(summary.architecture()), Optional.of(summary.quantization()), summary.contextLength(),
                OptionalLong.of(summary.parameterCount()), inputs, Set.of(embedding ? "embedding" : "text"),
                capabilities, sampling(summary.recommendedSampling()), details);
    }

    private static Map<String, Object> sampling(SamplingParameters parameters) {
        Map<String, Object> sampling = new LinkedHashMap<>();
        if (parameters.temperature() != null) {
            sampling.put("temperature", parameters.temperature());
        }
        if (parameters.topP() != null) {
            sampling.put("top_p", parameters.topP());
        }
        if (parameters.topK() != null) {
            sampling.put("top_k", parameters.topK());
        }
        if (parameters.minP() != null) {
            sampling.put("min_p", parameters.minP());
        }
        if (parameters.repeatPenalty() != null) {
            sampling.put("repeat_penalty", parameters.repeatPenalty());
        }
        return sampling;
    }

    private static boolean isSidecar(String name) {
        return name.toLowerCase(Locale.ROOT).startsWith("mmproj");
    }

    private static Optional<Path> projectorBeside(Path model) {
        try (DirectoryStream<Path> siblings = Files.newDirectoryStream(model.getParent(), "*.gguf")) {
            for (Path sibling : siblings) {
                if (isSidecar(sibling.getFileName().toString())) {
                    return Optional.of(sibling);
                }
            }
        } catch (IOException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    private static long totalSize(Path first, GgufSummary summary) {
        long size = first.toFile().length();
        Matcher split = SPLIT_PART.matcher(first.getFileName().toString());
        if (summary.split().isPresent() && split.matches()) {
            int count = Integer.parseInt(split.group(3));
            for (int part = 2; part <= count; part++) {
                size += first.resolveSibling(String.format("%s-%05d-of-%05d.gguf", split.group(1), part, count))
                        .toFile().length();
            }
        }
        return size;
    }

    private static String stem(Path path) {
        String name = path.getFileName().toString();
        return name.substring(0, name.length() - ".gguf".length());
    }
}
