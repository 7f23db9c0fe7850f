package dev.plugai.core.runners.llamacpp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.plugai.core.json.JsonMappers;
import dev.plugai.core.registry.ModelProbe;
import dev.plugai.core.registry.ProbedModel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Models of an existing Ollama store, found through its manifests
 * ({@code models/manifests/<registry>/<namespace>/<model>/<tag>}): the manifest's model layer names a
 * GGUF blob ({@code models/blobs/sha256-<hex>}), which is validated and described like any GGUF file and
 * loaded from where it is, without copying. Add the store with {@code models.extra-dirs=~/.ollama/models}.
 */
public final class OllamaManifestProbe implements ModelProbe {

    private static final ObjectMapper JSON = JsonMappers.create();
    private static final String MODEL_LAYER = "application/vnd.ollama.image.model";
    private static final Pattern DIGEST = Pattern.compile("sha256:[0-9a-f]{64}");
    private static final long MAX_MANIFEST_BYTES = 1 << 20;

    private final GgufProbe gguf = new GgufProbe();

    @Override
    public String format() {
        return "gguf";
    }

    @Override
    public boolean accepts(Path path, boolean directory) {
        return !directory && storeRoot(path) != null && !path.getFileName().toString().startsWith(".");
    }

    @Override
    public ProbedModel probe(Path manifest) {
        Path root = storeRoot(manifest);
        JsonNode document;
        try {
            if (Files.size(manifest) > MAX_MANIFEST_BYTES) {
                throw new InvalidModelException("The Ollama manifest is too large to be one.");
            }
            document = JSON.readTree(manifest.toFile());
        } catch (IOException e) {
            throw new InvalidModelException("The Ollama manifest is not readable JSON.", e);
        }
        String digest = null;
        for (JsonNode layer : document.path("layers")) {
            if (MODEL_LAYER.equals(layer.path("mediaType").asText())) {
                digest = layer.path("digest").asText();
            }
        }
        if (digest == null || !DIGEST.matcher(digest).matches()) {
            throw new InvalidModelException("The Ollama manifest names no model layer.");
        }
        Path blob = root.resolve("blobs").resolve(digest.replace(':', '-'));
        if (!Files.isRegularFile(blob)) {
            throw new InvalidModelException("The Ollama manifest's model blob " + blob.getFileName() + " is missing.");
        }
        ProbedModel probed = gguf.probe(blob);
        return new ProbedModel(probed.format(), ollamaName(root, manifest), probed.sizeBytes(), probed.architecture(),
                probed.quantization(), probed.contextLength(), probed.parameterCount(), probed.modalitiesIn(),
                probed.modalitiesOut(), probed.capabilities(), probed.recommendedSampling(), probed.details())
                .withModelFile(blob);
    }

    /** {@code qwen2.5:0.5b}, or {@code namespace/model:tag} outside Ollama's own library. */
    static String ollamaName(Path root, Path manifest) {
        Path relative = root.resolve("manifests").relativize(manifest);
        List<String> parts = new ArrayList<>();
        relative.forEach(part -> parts.add(part.toString()));
        if (parts.size() < 2) {
            return String.join("-", parts);
        }
        String tag = parts.getLast();
        String model = parts.get(parts.size() - 2);
        String namespace = parts.size() >= 3 ? parts.get(parts.size() - 3) : "library";
        return (namespace.equals("library") ? "" : namespace + "/") + model + ":" + tag;
    }

    /** The store's root ({@code .../models}) when the path lies under its {@code manifests} folder, else null. */
    private static Path storeRoot(Path path) {
        for (Path current = path.getParent(); current != null; current = current.getParent()) {
            if (current.getFileName() != null && current.getFileName().toString().equals("manifests")) {
                Path root = current.getParent();
                return root != null && Files.isDirectory(root.resolve("blobs")) ? root : null;
            }
        }
        return null;
    }
}
