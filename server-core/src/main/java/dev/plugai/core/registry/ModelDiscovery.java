package dev.plugai.core.registry;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Finds local models without any manual step: scans the models folder (and extra folders) at start,
 * again whenever the file system reports a change there (debounced), and periodically as a safety net
 * (watch events can be lost, and network file systems send none). Each candidate is read by the first
 * {@link ModelProbe} that accepts it; unchanged files (same size and modification time) are not read
 * again. Files that disappear are marked missing; files that are not valid models are kept as invalid
 * with the reason, and never reach a runner.
 *
 * <p>Thread-safe; scans never overlap.
 */
public final class ModelDiscovery implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ModelDiscovery.class);
    private static final Duration DEBOUNCE = Duration.ofMillis(400);
    private static final int MAX_DEPTH = 8;

    private final ModelRegistry registry;
    private final List<ModelProbe> probes;
    private final List<Path> roots;
    private final Duration rescanInterval;
    private final ReentrantLock scanning = new ReentrantLock();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "model-discovery");
        thread.setDaemon(true);
        return thread;
    });
    private volatile WatchService watcher;
    private volatile ScheduledFuture<?> pendingScan;

    public ModelDiscovery(ModelRegistry registry, List<ModelProbe> probes, List<Path> roots, Duration rescanInterval) {
        this.registry = registry;
        this.probes = List.copyOf(probes);
        this.roots = roots.stream().map(root -> root.toAbsolutePath().normalize()).toList();
        this.rescanInterval = rescanInterval;
    }

    /** Scans once now, then watches the folders and rescans periodically until {@link #close()}. */
    public void start() {
        scan();
        try {
            watcher = FileSystems.getDefault().newWatchService();
            for (Path root : roots) {
                registerTree(root);
            }
            Thread watch = new Thread(this::watchLoop, "model-discovery-watch");
            watch.setDaemon(true);
            watch.start();
        } catch (IOException e) {
            LOG.warn("Cannot watch the model folders; relying on periodic rescans every {}", rescanInterval, e);
        }
        if (!rescanInterval.isZero()) {
            scheduler.scheduleWithFixedDelay(this::scanQuietly, rescanInterval.toMillis(), rescanInterval.toMillis(),
                    TimeUnit.MILLISECONDS);
        }
    }

    /** Scans every root now and brings the registry up to date; returns what it found. */
    public ScanResult scan() {
        scanning.lock();
        try {
            ScanResult.Builder result = new ScanResult.Builder();
            Set<Path> present = new HashSet<>();
            for (Path root : roots) {
                if (Files.isDirectory(root)) {
                    walk(root, present, result);
                }
            }
            result.missing = registry.markMissing(roots, present);
            return result.build();
        } finally {
            scanning.unlock();
        }
    }

    private void walk(Path root, Set<Path> present, ScanResult.Builder result) {
        try {
            // Links are followed: a Hugging Face cache's snapshot files are links into its blobs folder.
            Files.walkFileTree(root, Set.of(FileVisitOption.FOLLOW_LINKS), MAX_DEPTH, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) {
                    if (!dir.equals(root) && dir.getFileName().toString().startsWith(".")) {
                        return FileVisitResult.SKIP_SUBTREE;
                    }
                    Optional<ModelProbe> probe = probeFor(dir, true);
                    if (probe.isPresent()) {
                        consider(dir, probe.get(), attributes, present, result);
                        return FileVisitResult.SKIP_SUBTREE;
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                    if (attributes.isRegularFile() && !file.getFileName().toString().startsWith(".")) {
                        probeFor(file, false).ifPresent(probe -> consider(file, probe, attributes, present, result));
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException error) {
                    LOG.debug("Cannot read {} during model discovery", file, error);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            LOG.warn("Model discovery could not walk {}", root, e);
        }
    }

    private Optional<ModelProbe> probeFor(Path path, boolean directory) {
        return probes.stream().filter(probe -> probe.accepts(path, directory)).findFirst();
    }

    private void consider(Path path, ModelProbe probe, BasicFileAttributes attributes, Set<Path> present,
                          ScanResult.Builder result) {
        Path absolute = path.toAbsolutePath().normalize();
        present.add(absolute);
        long size = attributes.isDirectory() ? folderSize(absolute) : attributes.size();
        String modified = attributes.lastModifiedTime().toInstant().toString();
        Optional<ModelRegistry.FileStamp> stamp = registry.stamp(absolute);
        if (stamp.isPresent() && stamp.get().size() == size && modified.equals(stamp.get().modifiedAt())
                && !stamp.get().status().equals("missing")) {
            result.unchanged++;
            return;
        }
        try {
            ProbedModel probed = probe.probe(absolute);
            Path stored = probed.modelFile().map(file -> file.toAbsolutePath().normalize()).orElse(absolute);
            present.add(stored);
            ObjectNode schema = probed.capabilities().contains("embeddings") && !probed.capabilities().contains("chat")
                    ? ParameterSchemas.forEmbeddingModel()
                    : ParameterSchemas.forTextModel(probed.contextLength(), probed.recommendedSampling());
            boolean known = registry.findByPath(stored).filter(model -> model.status() == ModelRecord.Status.AVAILABLE)
                    .isPresent();
            ModelRecord record = registry.putLocal(stored, probed, schema, modified);
            if (!known) {
                LOG.info("Model {} registered from {}", record.id(), absolute);
            }
            result.registered++;
        } catch (ModelProbe.InvalidModelException e) {
            registry.putInvalid(absolute, probe.format(), size, modified, e.getMessage());
            LOG.warn("Not a valid model, ignored: {} ({})", absolute, e.getMessage());
            result.invalid++;
        } catch (RuntimeException e) {
            registry.putInvalid(absolute, probe.format(), size, modified, "The file could not be read.");
            LOG.warn("Reading {} failed", absolute, e);
            result.invalid++;
        }
    }

    private static long folderSize(Path folder) {
        try (var files = Files.walk(folder, 3)) {
            return files.filter(Files::isRegularFile).mapToLong(file -> file.toFile().length()).sum();
        } catch (IOException e) {
            return 0;
        }
    }

    private void registerTree(Path root) throws IOException {
        if (!Files.isDirectory(root)) {
            return;
        }
        Files.walkFileTree(root, Set.of(), MAX_DEPTH, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) throws IOException {
                dir.register(watcher, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_DELETE,
                        StandardWatchEventKinds.ENTRY_MODIFY);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    private void watchLoop() {
        try {
            while (true) {
                WatchKey key = watcher.take();
                Path dir = (Path) key.watchable();
                for (var event : key.pollEvents()) {
                    if (event.context() instanceof Path name && event.kind() == StandardWatchEventKinds.ENTRY_CREATE
                            && Files.isDirectory(dir.resolve(name))) {
                        registerTree(dir.resolve(name));
                    }
                }
                key.reset();
                scheduleScan();
            }
        } catch (ClosedWatchServiceException | InterruptedException stopped) {
            // closed: discovery is shutting down
        } catch (IOException e) {
            LOG.warn("Watching the model folders failed; periodic rescans continue", e);
        }
    }

    /** Coalesces a burst of events (a file being copied) into one scan shortly after the last event. */
    private synchronized void scheduleScan() {
        if (pendingScan != null) {
            pendingScan.cancel(false);
        }
        pendingScan = scheduler.schedule(this::scanQuietly, DEBOUNCE.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void scanQuietly() {
        try {
            scan();
        } catch (RuntimeException e) {
            LOG.warn("Model discovery scan failed", e);
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        WatchService current = watcher;
        if (current != null) {
            try {
                current.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }

    /**
     * What one scan did.
     *
     * @param registered models added or refreshed
     * @param unchanged  models skipped because their files did not change
     * @param invalid    files rejected as invalid
     * @param missing    models newly marked missing
     */
    public record ScanResult(int registered, int unchanged, int invalid, int missing) {

        static final class Builder {
            int registered;
            int unchanged;
            int invalid;
            int missing;

            ScanResult build() {
                return new ScanResult(registered, unchanged, invalid, missing);
            }
        }
    }
}
