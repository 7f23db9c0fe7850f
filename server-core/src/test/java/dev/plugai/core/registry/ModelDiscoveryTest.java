package dev.plugai.core.registry;

import dev.plugai.core.MutableClock;
import dev.plugai.core.db.Database;
import dev.plugai.core.models.gguf.testing.TinyLlamaGguf;
import dev.plugai.core.runners.LocalFormats;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Discovery over real folder layouts: plain files, a Hugging Face cache, an Ollama store. */
class ModelDiscoveryTest {

    @TempDir
    Path folder;

    Database database;
    ModelRegistry registry;

    @BeforeEach
    void open() {
        database = Database.open(folder.resolve("plugai.db"), Duration.ofSeconds(5));
        registry = new ModelRegistry(database, new MutableClock(Instant.parse("2026-11-26T08:00:00Z")));
    }

    @AfterEach
    void close() {
        database.close();
    }

    private ModelDiscovery discovery(Path... roots) {
        return new ModelDiscovery(registry, LocalFormats.probes(), List.of(roots), Duration.ZERO);
    }

    @Test
    void plainFilesAreRegisteredOnceAndUnchangedFilesNotReadAgain() throws Exception {
        Path models = Files.createDirectories(folder.resolve("models/nested"));
        TinyLlamaGguf.builder().name("Plain Model").build().write(models.resolve("plain.gguf"));
        Files.writeString(models.resolve("mmproj-plain-f16.gguf"), "a sidecar is not a model of its own");
        Files.writeString(models.resolve("notes.txt"), "ignored");

        ModelDiscovery discovery = discovery(folder.resolve("models"));
        assertThat(discovery.scan().registered()).isEqualTo(1);
        ModelDiscovery.ScanResult again = discovery.scan();
        assertThat(again.registered()).isZero();
        assertThat(again.unchanged()).isEqualTo(1);

        ModelRecord model = registry.find("local/plain-model").orElseThrow();
        // Noted, but not offered for images: the local runner takes text only.
        assertThat(model.capabilities()).doesNotContain("vision");
        assertThat(model.modalitiesIn()).containsExactly("text");
        assertThat(model.details()).containsEntry("vision_projector", "mmproj-plain-f16.gguf");
    }

    @Test
    void aHuggingFaceCacheIsReadThroughItsSnapshotLinks() throws Exception {
        Path repo = Files.createDirectories(folder.resolve("hub/models--org--tiny"));
        Path blob = TinyLlamaGguf.builder().name("HF Tiny").build()
                .write(Files.createDirectories(repo.resolve("blobs")).resolve("9f2c0e"));
        Path snapshot = Files.createDirectories(repo.resolve("snapshots/abc123"));
        Files.createSymbolicLink(snapshot.resolve("tiny-q8_0.gguf"), snapshot.relativize(blob));

        discovery(folder.resolve("hub")).scan();

        ModelRecord model = registry.find("local/hf-tiny").orElseThrow();
        assertThat(model.status()).isEqualTo(ModelRecord.Status.AVAILABLE);
        assertThat(model.path()).get().asString().endsWith("tiny-q8_0.gguf");
        assertThat(registry.list()).hasSize(1);
    }

    @Test
    void anOllamaStoreIsReadThroughItsManifestsAndLoadsFromTheBlob() throws Exception {
        Path store = folder.resolve("ollama/models");
        String hex = "ab".repeat(32);
        Path blob = TinyLlamaGguf.builder().name("ignored name").build()
                .write(Files.createDirectories(store.resolve("blobs")).resolve("sha256-" + hex));
        Path manifest = Files.createDirectories(store.resolve("manifests/registry.ollama.ai/library/tinyllama"))
                .resolve("latest");
        Files.writeString(manifest, """
                {"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.v2+json",
                 "config":{"mediaType":"application/vnd.docker.container.image.v1+json","digest":"sha256:%s","size":1},
                 "layers":[{"mediaType":"application/vnd.ollama.image.model","digest":"sha256:%s","size":%d},
                           {"mediaType":"application/vnd.ollama.image.template","digest":"sha256:%s","size":1}]}
                """.formatted("cd".repeat(32), hex, Files.size(blob), "ef".repeat(32)));

        ModelDiscovery discovery = discovery(store);
        discovery.scan();

        ModelRecord model = registry.find("local/tinyllama-latest").orElseThrow();
        assertThat(model.name()).isEqualTo("tinyllama:latest");
        assertThat(model.path()).contains(blob.toAbsolutePath().normalize());
        assertThat(model.architecture()).contains("llama");
        assertThat(registry.list()).as("the blob is not registered a second time").hasSize(1);

        Files.delete(manifest);
        assertThat(discovery.scan().missing()).isEqualTo(1);
        assertThat(registry.find("local/tinyllama-latest").orElseThrow().status()).isEqualTo(ModelRecord.Status.MISSING);
    }

    @Test
    void aTruncatedFileIsInvalidThenValidOnceComplete() throws Exception {
        Path models = Files.createDirectories(folder.resolve("models"));
        Path complete = TinyLlamaGguf.builder().name("Growing").build().write(folder.resolve("complete.gguf"));
        byte[] bytes = Files.readAllBytes(complete);
        Path growing = models.resolve("growing.gguf");
        Files.write(growing, java.util.Arrays.copyOf(bytes, bytes.length / 2));

        ModelDiscovery discovery = discovery(models);
        assertThat(discovery.scan().invalid()).isEqualTo(1);
        ModelRecord invalid = registry.findByPath(growing.toAbsolutePath()).orElseThrow();
        assertThat(invalid.status()).isEqualTo(ModelRecord.Status.INVALID);
        assertThat(invalid.statusReason()).get().asString().isNotBlank();

        Files.write(growing, bytes);
        assertThat(discovery.scan().registered()).isEqualTo(1);
        assertThat(registry.findByPath(growing.toAbsolutePath()).orElseThrow().status())
                .isEqualTo(ModelRecord.Status.AVAILABLE);
    }
}
