package dev.plugai.core.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plugai.core.backends.RunnerSettings;
import dev.plugai.core.db.Database;
import dev.plugai.core.json.JsonMappers;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.HandleCallback;

import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * The persistent model registry (SQLite): every model the server knows, with its facts, capabilities
 * and parameter schema. Local models are written by discovery; removed files are marked missing, not
 * forgotten.
 *
 * <p>Thread-safe.
 */
public final class ModelRegistry {

    private static final ObjectMapper JSON = JsonMappers.create();
    private static final String COLUMNS = "id, source, format, path, name, size_bytes, architecture, quantization, "
            + "context_length, parameter_count, modalities_in, modalities_out, capabilities, parameter_schema, details, "
            + "status, status_reason, discovered_at, updated_at, runner_settings, fallbacks";

    private final Database database;
    private final Clock clock;
    private final Map<String, ModelRecord> byId = new ConcurrentHashMap<>();
    private final AtomicLong writes = new AtomicLong();

    public ModelRegistry(Database database, Clock clock) {
        this.database = database;
        this.clock = clock;
    }

    /** Every model, by id. */
    public List<ModelRecord> list() {
        return database.read(handle -> handle.createQuery("SELECT " + COLUMNS + " FROM model ORDER BY id")
                .map((rs, ctx) -> map(rs)).list());
    }

    /** Models matching {@code filter}, by id. */
    public List<ModelRecord> list(Predicate<ModelRecord> filter) {
        return list().stream().filter(filter).toList();
    }

    /**
     * The model with this id. Found models are cached (every request asks for its model; the server is the
     * registry's only writer, and every write here empties the cache); ids not found are not, so arbitrary
     * ids cannot grow it.
     */
    public Optional<ModelRecord> find(String id) {
        ModelRecord cached = byId.get(id);
        if (cached != null) {
            return Optional.of(cached);
        }
        long before = writes.get();
        Optional<ModelRecord> loaded = database.read(handle -> handle.createQuery(
                "SELECT " + COLUMNS + " FROM model WHERE id = :id").bind("id", id).map((rs, ctx) -> map(rs)).findOne());
        if (loaded.isPresent() && writes.get() == before) {
            byId.put(id, loaded.get());
            // A write that committed after our read but counted after the check above: drop what we put.
            if (writes.get() != before) {
                byId.remove(id, loaded.get());
            }
        }
        return loaded;
    }

    /** Runs a write and empties the cache of found models after it. */
    private <R, X extends Exception> R write(HandleCallback<R, X> callback) throws X {
        try {
            return database.write(callback);
        } finally {
            writes.incrementAndGet();
            byId.clear();
        }
    }

    /** The model registered for a local path, if any. */
    public Optional<ModelRecord> findByPath(Path path) {
        return database.read(handle -> handle.createQuery("SELECT " + COLUMNS + " FROM model WHERE path = :path")
                .bind("path", path.toString()).map((rs, ctx) -> map(rs)).findOne());
    }

    /** When the file at {@code path} was last read, to skip unchanged files on a rescan. */
    Optional<FileStamp> stamp(Path path) {
        return database.read(handle -> handle.createQuery(
                        "SELECT size_bytes, file_modified_at, status FROM model WHERE path = :path")
                .bind("path", path.toString())
                .map((rs, ctx) -> new FileStamp(rs.getLong("size_bytes"), rs.getString("file_modified_at"),
                        rs.getString("status")))
                .findOne());
    }

    /** Registers or refreshes a valid local model found at {@code path}. */
    ModelRecord putLocal(Path path, ProbedModel probed, ObjectNode schema, String modifiedAt) {
        return write(handle -> {
            Optional<String> existingId = handle.createQuery("SELECT id FROM model WHERE path = :path")
                    .bind("path", path.toString()).mapTo(String.class).findOne();
            String id = existingId.orElseGet(() -> uniqueId(handle, "local/" + slug(probed.name(), path)));
            Instant now = clock.instant();
            handle.createUpdate("""
                            INSERT INTO model (id, source, format, path, name, size_bytes, file_modified_at, architecture,
                                quantization, context_length, parameter_count, modalities_in, modalities_out, capabilities,
                                parameter_schema, details, status, status_reason, discovered_at, updated_at)
                            VALUES (:id, 'local', :format, :path, :name, :size, :modified, :architecture, :quantization,
                                :context, :parameters, :in, :out, :capabilities, :schema, :details, 'available', NULL,
                                :now, :now)
                            ON CONFLICT (id) DO UPDATE SET format = excluded.format, path = excluded.path,
                                name = excluded.name, size_bytes = excluded.size_bytes,
                                file_modified_at = excluded.file_modified_at, architecture = excluded.architecture,
                                quantization = excluded.quantization, context_length = excluded.context_length,
                                parameter_count = excluded.parameter_count, modalities_in = excluded.modalities_in,
                                modalities_out = excluded.modalities_out, capabilities = excluded.capabilities,
                                parameter_schema = excluded.parameter_schema, details = excluded.details,
                                status = 'available', status_reason = NULL, updated_at = excluded.updated_at""")
                    .bind("id", id).bind("format", probed.format()).bind("path", path.toString())
                    .bind("name", probed.name()).bind("size", probed.sizeBytes()).bind("modified", modifiedAt)
                    .bind("architecture", probed.architecture().orElse(null))
                    .bind("quantization", probed.quantization().orElse(null))
                    .bind("context", probed.contextLength().isPresent() ? probed.contextLength().getAsInt() : null)
                    .bind("parameters", probed.parameterCount().isPresent() ? probed.parameterCount().getAsLong() : null)
                    .bind("in", json(new TreeSet<>(probed.modalitiesIn())))
                    .bind("out", json(new TreeSet<>(probed.modalitiesOut())))
                    .bind("capabilities", json(new TreeSet<>(probed.capabilities())))
                    .bind("schema", schema.toString()).bind("details", json(detailsOf(probed)))
                    .bind("now", now.toString())
                    .execute();
            return handle.createQuery("SELECT " + COLUMNS + " FROM model WHERE id = :id").bind("id", id)
                    .map((rs, ctx) -> map(rs)).one();
        });
    }

    /** The detail that marks a provider's model the operator registered by hand. */
    public static final String BY_HAND = "registered_by_hand";

    /**
     * Registers or refreshes a provider's model as {@code <provider>/<upstream id>}.
     *
     * @param byHand registered by the operator rather than listed: a refresh neither overwrites nor misses it
     * @return the registered model
     */
    public ModelRecord putRemote(String providerId, dev.plugai.core.providers.RemoteModel model,
                                 Set<String> capabilities, ObjectNode schema, boolean byHand) {
        String id = providerId + "/" + model.upstreamId();
        Set<String> inputs = capabilities.contains("vision") ? Set.of("text", "image") : Set.of("text");
        Set<String> outputs = capabilities.contains("embeddings") && !capabilities.contains("chat")
                ? Set.of("embedding") : Set.of("text");
        return write(handle -> {
            Instant now = clock.instant();
            handle.createUpdate("""
                            INSERT INTO model (id, source, format, name, size_bytes, context_length, modalities_in,
                                modalities_out, capabilities, parameter_schema, details, status, discovered_at, updated_at)
                            VALUES (:id, :source, 'remote', :name, 0, :context, :in, :out, :capabilities, :schema,
                                :details, 'available', :now, :now)
                            ON CONFLICT (id) DO UPDATE SET name = excluded.name, context_length = excluded.context_length,
                                modalities_in = excluded.modalities_in, modalities_out = excluded.modalities_out,
                                capabilities = excluded.capabilities, parameter_schema = excluded.parameter_schema,
                                details = excluded.details, status = 'available', status_reason = NULL,
                                updated_at = excluded.updated_at""")
                    .bind("id", id).bind("source", providerId).bind("name", model.displayName())
                    .bind("context", model.contextLength().isPresent() ? model.contextLength().getAsInt() : null)
                    .bind("in", json(new TreeSet<>(inputs))).bind("out", json(new TreeSet<>(outputs)))
                    .bind("capabilities", json(new TreeSet<>(capabilities))).bind("schema", schema.toString())
                    .bind("details", json(byHand ? Map.of("upstream_model", model.upstreamId(), BY_HAND, true)
                            : Map.of("upstream_model", model.upstreamId())))
                    .bind("now", now.toString()).execute();
            return handle.createQuery("SELECT " + COLUMNS + " FROM model WHERE id = :id").bind("id", id)
                    .map((rs, ctx) -> map(rs)).one();
        });
    }

    /**
     * Removes a provider's model registered by hand.
     *
     * @return whether there was one with that id
     */
    public boolean deleteByHand(String id) {
        if (find(id).filter(ModelRecord::registeredByHand).isEmpty()) {
            return false;
        }
        return write(handle -> handle.createUpdate("DELETE FROM model WHERE id = :id").bind("id", id)
                .execute()) > 0;
    }

    /** Removes every model of a provider (the provider is being removed); returns how many. */
    public int deleteBySource(String providerId) {
        if (providerId.equals("local")) {
            throw new IllegalArgumentException("local models are removed with their files");
        }
        return write(handle -> handle.createUpdate("DELETE FROM model WHERE source = :source")
                .bind("source", providerId).execute());
    }

    /** Marks a provider's listed models that it no longer lists as missing; returns how many. */
    public int markRemoteMissing(String providerId, Set<String> listedIds) {
        List<ModelRecord> gone = list(model -> model.source().equals(providerId) && !model.registeredByHand()
                && model.status() == ModelRecord.Status.AVAILABLE && !listedIds.contains(model.id()));
        String now = clock.instant().toString();
        return write(handle -> {
            int count = 0;
            for (ModelRecord model : gone) {
                count += handle.createUpdate("UPDATE model SET status = 'missing', status_reason = :reason, "
                                + "updated_at = :now WHERE id = :id")
                        .bind("reason", "The provider no longer lists this model.").bind("now", now)
                        .bind("id", model.id()).execute();
            }
            return count;
        });
    }

    /** Records that the file at {@code path} is not a valid model, and why. */
    void putInvalid(Path path, String format, long size, String modifiedAt, String reason) {
        write(handle -> {
            Instant now = clock.instant();
            Optional<String> existingId = handle.createQuery("SELECT id FROM model WHERE path = :path")
                    .bind("path", path.toString()).mapTo(String.class).findOne();
            if (existingId.isPresent()) {
                return handle.createUpdate("""
                                UPDATE model SET status = 'invalid', status_reason = :reason, size_bytes = :size,
                                    file_modified_at = :modified, updated_at = :now WHERE id = :id""")
                        .bind("reason", reason).bind("size", size).bind("modified", modifiedAt)
                        .bind("now", now.toString()).bind("id", existingId.get()).execute();
            }
            String name = path.getFileName().toString();
            return handle.createUpdate("""
                            INSERT INTO model (id, source, format, path, name, size_bytes, file_modified_at, status,
                                status_reason, discovered_at, updated_at)
                            VALUES (:id, 'local', :format, :path, :name, :size, :modified, 'invalid', :reason, :now, :now)""")
                    .bind("id", uniqueId(handle, "local/" + slug(name, path))).bind("format", format)
                    .bind("path", path.toString()).bind("name", name).bind("size", size).bind("modified", modifiedAt)
                    .bind("reason", reason).bind("now", now.toString()).execute();
        });
    }

    /** Marks local models whose paths are not in {@code present} (under {@code roots}) as missing; returns how many. */
    int markMissing(Collection<Path> roots, Set<Path> present) {
        List<ModelRecord> gone = new ArrayList<>();
        for (ModelRecord model : list()) {
            if (model.isLocal() && model.status() != ModelRecord.Status.MISSING && model.path().isPresent()
                    && roots.stream().anyMatch(root -> model.path().get().startsWith(root))
                    && !present.contains(model.path().get())) {
                gone.add(model);
            }
        }
        if (gone.isEmpty()) {
            return 0;
        }
        String now = clock.instant().toString();
        return write(handle -> {
            int count = 0;
            for (ModelRecord model : gone) {
                count += handle.createUpdate("UPDATE model SET status = 'missing', status_reason = :reason, "
                                + "updated_at = :now WHERE id = :id")
                        .bind("reason", "The model's file is gone from " + model.path().get().getParent() + ".")
                        .bind("now", now).bind("id", model.id()).execute();
            }
            return count;
        });
    }

    /** A lower-case, URL-friendly name from the model's name or file name. */
    static String slug(String name, Path path) {
        String base = name == null || name.isBlank() ? path.getFileName().toString() : name;
        base = base.replaceFirst("(?i)\\.gguf$", "").replaceFirst("(?i)-0*1-of-\\d+$", "");
        String slug = base.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9._-]+", "-").replaceAll("^-+|-+$", "");
        return slug.isEmpty() ? "model" : slug.substring(0, Math.min(120, slug.length()));
    }

    private static String uniqueId(Handle handle, String wanted) {
        String id = wanted;
        for (int suffix = 2; handle.createQuery("SELECT COUNT(*) FROM model WHERE id = :id").bind("id", id)
                .mapTo(Long.class).one() > 0; suffix++) {
            id = wanted + "-" + suffix;
        }
        return id;
    }

    private static Map<String, Object> detailsOf(ProbedModel probed) {
        Map<String, Object> details = new java.util.TreeMap<>(probed.details());
        if (!probed.recommendedSampling().isEmpty()) {
            details.put("recommended_sampling", probed.recommendedSampling());
        }
        return details;
    }

    private static ModelRecord map(ResultSet rs) throws SQLException {
        int context = rs.getInt("context_length");
        OptionalInt contextLength = rs.wasNull() ? OptionalInt.empty() : OptionalInt.of(context);
        long parameters = rs.getLong("parameter_count");
        OptionalLong parameterCount = rs.wasNull() ? OptionalLong.empty() : OptionalLong.of(parameters);
        try {
            return new ModelRecord(rs.getString("id"), rs.getString("source"), rs.getString("format"),
                    Optional.ofNullable(rs.getString("path")).map(Path::of), rs.getString("name"),
                    rs.getLong("size_bytes"), Optional.ofNullable(rs.getString("architecture")),
                    Optional.ofNullable(rs.getString("quantization")), contextLength, parameterCount,
                    set(rs.getString("modalities_in")), set(rs.getString("modalities_out")),
                    set(rs.getString("capabilities")), (ObjectNode) JSON.readTree(rs.getString("parameter_schema")),
                    JSON.readValue(rs.getString("details"), new TypeReference<Map<String, Object>>() { }),
                    ModelRecord.Status.valueOf(rs.getString("status").toUpperCase(Locale.ROOT)),
                    Optional.ofNullable(rs.getString("status_reason")), Instant.parse(rs.getString("discovered_at")),
                    Instant.parse(rs.getString("updated_at")),
                    JSON.readValue(rs.getString("runner_settings"), StoredSettings.class).toRunnerSettings(),
                    JSON.readValue(rs.getString("fallbacks"), new TypeReference<List<String>>() { }));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A stored model row holds invalid JSON", e);
        }
    }

    private static Set<String> set(String json) throws JsonProcessingException {
        return new TreeSet<>(JSON.readValue(json, new TypeReference<List<String>>() { }));
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Stores an admin's runner settings for a model; they apply at its next load. */
    public ModelRecord setRunnerSettings(String id, RunnerSettings settings) {
        return write(handle -> {
            int updated = handle.createUpdate("UPDATE model SET runner_settings = :settings WHERE id = :id")
                    .bind("settings", json(StoredSettings.of(settings))).bind("id", id).execute();
            if (updated == 0) {
                throw new dev.plugai.core.errors.PlugAiException.NotFound("No model with id " + id + ".");
            }
            return handle.createQuery("SELECT " + COLUMNS + " FROM model WHERE id = :id").bind("id", id)
                    .map((rs, ctx) -> map(rs)).one();
        });
    }

    /** Sets the models tried, in order, when {@code id} fails before its first byte. */
    public ModelRecord setFallbacks(String id, List<String> fallbacks) {
        return write(handle -> {
            for (String fallback : fallbacks) {
                if (fallback.equals(id) || handle.createQuery("SELECT COUNT(*) FROM model WHERE id = :id")
                        .bind("id", fallback).mapTo(Long.class).one() == 0) {
                    throw new dev.plugai.core.errors.PlugAiException.InvalidRequest("No other model with id "
                            + fallback + ".");
                }
            }
            int updated = handle.createUpdate("UPDATE model SET fallbacks = :fallbacks WHERE id = :id")
                    .bind("fallbacks", json(List.copyOf(fallbacks))).bind("id", id).execute();
            if (updated == 0) {
                throw new dev.plugai.core.errors.PlugAiException.NotFound("No model with id " + id + ".");
            }
            return handle.createQuery("SELECT " + COLUMNS + " FROM model WHERE id = :id").bind("id", id)
                    .map((rs, ctx) -> map(rs)).one();
        });
    }

    /** Runner settings as stored: absent (null) means automatic. */
    record StoredSettings(Integer threads, Integer contextSize, Integer gpuLayers, Integer parallelSlots) {

        static StoredSettings of(RunnerSettings settings) {
            return new StoredSettings(positive(settings.threads()), positive(settings.contextSize()),
                    positive(settings.gpuLayers()), positive(settings.parallelSlots()));
        }

        RunnerSettings toRunnerSettings() {
            return new RunnerSettings(threads == null ? 0 : threads, contextSize == null ? 0 : contextSize,
                    gpuLayers == null ? 0 : gpuLayers, parallelSlots == null ? 0 : parallelSlots);
        }

        private static Integer positive(int value) {
            return value > 0 ? value : null;
        }
    }

    /** What was recorded of a file the last time it was read. */
    record FileStamp(long size, String modifiedAt, String status) {
    }
}
