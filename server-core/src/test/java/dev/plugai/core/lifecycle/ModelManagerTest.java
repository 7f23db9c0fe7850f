package dev.plugai.core.lifecycle;

import dev.plugai.core.MutableClock;
import dev.plugai.core.db.Database;
import dev.plugai.core.errors.ErrorKind;
import dev.plugai.core.errors.PlugAiException;
import dev.plugai.core.models.gguf.testing.TinyLlamaGguf;
import dev.plugai.core.registry.ModelDiscovery;
import dev.plugai.core.registry.ModelRegistry;
import dev.plugai.core.runners.LocalFormats;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The memory budget, eviction order, default model and keep-alive, with real tiny GGUF models. */
class ModelManagerTest {

    @TempDir
    Path folder;

    final MutableClock clock = new MutableClock(Instant.parse("2026-11-26T08:00:00Z"));
    final ExecutorService loader = Executors.newVirtualThreadPerTaskExecutor();
    Database database;
    ModelRegistry registry;

    @BeforeEach
    void discover() throws Exception {
        Path models = Files.createDirectories(folder.resolve("models"));
        for (String name : List.of("alpha", "beta", "gamma")) {
            TinyLlamaGguf.builder().name(name).build().write(models.resolve(name + ".gguf"));
        }
        database = Database.open(folder.resolve("plugai.db"), Duration.ofSeconds(5));
        registry = new ModelRegistry(database, clock);
        new ModelDiscovery(registry, LocalFormats.probes(), List.of(models), Duration.ZERO).scan();
    }

    @AfterEach
    void close() {
        loader.shutdownNow();
        database.close();
    }

    private ModelManager manager(long budgetBytes) {
        return new ModelManager(registry, LocalFormats.runners(), new MemoryBudget(budgetBytes), clock, loader,
                Duration.ofMinutes(5), new SimpleMeterRegistry());
    }

    private static void ready(ModelManager manager, String id) throws Exception {
        manager.load(id).get(30, TimeUnit.SECONDS);
    }

    @Test
    void loadsAreSharedAndReportState() throws Exception {
        try (ModelManager manager = manager(4L << 30)) {
            assertThat(manager.state("local/alpha").phase()).isEqualTo(ModelState.Phase.UNLOADED);
            var first = manager.load("local/alpha");
            assertThat(manager.load("local/alpha")).as("one load for concurrent callers").isSameAs(first);
            first.get(30, TimeUnit.SECONDS);
            ModelState state = manager.state("local/alpha");
            assertThat(state.phase()).isEqualTo(ModelState.Phase.READY);
            assertThat(state.progress()).isEqualTo(1.0);
            assertThat(state.memoryBytes()).isPositive();
            assertThat(manager.usedBytes()).isEqualTo(state.memoryBytes());

            manager.unload("local/alpha");
            assertThat(manager.state("local/alpha").phase()).isEqualTo(ModelState.Phase.UNLOADED);
            assertThat(manager.usedBytes()).isZero();
        }
    }

    @Test
    void idleModelsAreEvictedLeastRecentlyUsedFirstButNeverTheDefault() throws Exception {
        try (ModelManager probe = manager(4L << 30)) {
            ready(probe, "local/alpha");
            long one = probe.state("local/alpha").memoryBytes();
            probe.unload("local/alpha");
            // Room for two loaded models and the reservation of a third, not for three.
            try (ModelManager manager = manager(2 * one + ModelManager.estimate(registry.find("local/gamma").orElseThrow()) - 1)) {
                manager.setDefault("local/alpha").get(30, TimeUnit.SECONDS);
                clock.advance(Duration.ofMinutes(1));
                ready(manager, "local/beta");
                clock.advance(Duration.ofMinutes(1));
                ready(manager, "local/gamma");

                assertThat(manager.state("local/alpha").phase()).as("the default stays").isEqualTo(ModelState.Phase.READY);
                assertThat(manager.state("local/beta").phase()).as("evicted").isEqualTo(ModelState.Phase.UNLOADED);
                assertThat(manager.state("local/gamma").phase()).isEqualTo(ModelState.Phase.READY);
            }
        }
    }

    @Test
    void aModelInUseIsNotEvictedAndTooBigALoadIs507() throws Exception {
        try (ModelManager probe = manager(4L << 30)) {
            ready(probe, "local/alpha");
            long one = probe.state("local/alpha").memoryBytes();
            probe.unload("local/alpha");
            try (ModelManager manager = manager(one + ModelManager.estimate(registry.find("local/beta").orElseThrow()) - 1)) {
                ready(manager, "local/alpha");
                try (ModelManager.Lease lease = manager.lease("local/alpha")) {
                    assertThat(lease.model().textGenerator()).isPresent();
                    assertThatThrownBy(() -> manager.load("local/beta"))
                            .isInstanceOfSatisfying(PlugAiException.Unavailable.class,
                                    error -> assertThat(error.kind()).isEqualTo(ErrorKind.INSUFFICIENT_MEMORY));
                    assertThatThrownBy(() -> manager.unload("local/alpha")).isInstanceOf(PlugAiException.Conflict.class);
                }
                ready(manager, "local/beta");
                assertThat(manager.state("local/alpha").phase()).as("idle again, so evicted").isEqualTo(ModelState.Phase.UNLOADED);
            }
            try (ModelManager tiny = manager(1024)) {
                assertThatThrownBy(() -> tiny.load("local/alpha")).isInstanceOfSatisfying(PlugAiException.Unavailable.class,
                        error -> assertThat(error.getMessage()).contains("more than the memory budget"));
            }
        }
    }

    @Test
    void theDefaultCannotBeUnloadedAndIdleModelsExpire() throws Exception {
        try (ModelManager manager = manager(4L << 30)) {
            manager.setDefault("local/alpha").get(30, TimeUnit.SECONDS);
            ready(manager, "local/beta");
            assertThatThrownBy(() -> manager.unload("local/alpha")).isInstanceOf(PlugAiException.Conflict.class)
                    .hasMessageContaining("default");

            clock.advance(Duration.ofMinutes(4));
            assertThat(manager.unloadIdle()).isEmpty();
            clock.advance(Duration.ofMinutes(2));
            assertThat(manager.unloadIdle()).containsExactly("local/beta");
            assertThat(manager.state("local/alpha").phase()).isEqualTo(ModelState.Phase.READY);
        }
    }

    @Test
    void anAdminsRunnerSettingsApplyAtTheNextLoad() throws Exception {
        try (ModelManager manager = manager(4L << 30)) {
            ready(manager, "local/alpha");
            long automatic = manager.state("local/alpha").memoryBytes();
            manager.unload("local/alpha");

            registry.setRunnerSettings("local/alpha", new dev.plugai.core.backends.RunnerSettings(1, 128, 0, 2));
            assertThat(manager.slots("local/alpha")).isEqualTo(2);
            ready(manager, "local/alpha");
            assertThat(manager.state("local/alpha").memoryBytes()).as("a smaller context holds less")
                    .isLessThan(automatic);
            assertThat(registry.find("local/alpha").orElseThrow().runnerSettings().contextSize()).isEqualTo(128);
            assertThat(manager.slots("local/beta")).as("the server default").isEqualTo(1);
        }
    }

    @Test
    void anUnsupportedArchitectureFailsWithItsReason() throws Exception {
        TinyLlamaGguf.builder().name("odd").architecture("imaginary").build()
                .write(folder.resolve("models/odd.gguf"));
        new ModelDiscovery(registry, LocalFormats.probes(), List.of(folder.resolve("models")), Duration.ZERO).scan();
        try (ModelManager manager = manager(4L << 30)) {
            assertThatThrownBy(() -> manager.load("local/odd").get(30, TimeUnit.SECONDS))
                    .rootCause().isInstanceOf(PlugAiException.Unavailable.class)
                    .hasMessageContaining("unsupported architecture 'imaginary'");
            ModelState state = manager.state("local/odd");
            assertThat(state.phase()).isEqualTo(ModelState.Phase.FAILED);
            assertThat(state.failure()).get().asString().contains("unsupported architecture 'imaginary'");
        }
    }
}
