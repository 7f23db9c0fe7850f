package dev.plugai.core.providers;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.plugai.core.config.ConfigException;
import dev.plugai.core.config.PlugAiConfig;
import dev.plugai.core.db.Database;
import dev.plugai.core.errors.PlugAiException;
import dev.plugai.core.json.JsonMappers;

import java.net.URI;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * The provider instances the operator configured (kind, base URL, extra headers, model allow-list).
 *
 * <p>Thread-safe.
 */
public final class ProviderDirectory {

    private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9._-]{0,99}");
    private static final ObjectMapper JSON = JsonMappers.create();

    private final Database database;
    private final ProviderKinds kinds;
    private final Clock clock;
    private volatile Set<String> configured = Set.of();
    private final AtomicLong changes = new AtomicLong();

    public ProviderDirectory(Database database, ProviderKinds kinds, Clock clock) {
        this.database = database;
        this.kinds = kinds;
        this.clock = clock;
    }

    /**
     * A configured provider.
     *
     * @param endpoint      where it lives and its kind
     * @param allowedModels upstream model ids that may be used, or empty for every listed model
     */
    public record Provider(ProviderEndpoint endpoint, Optional<List<String>> allowedModels) {

        public String id() {
            return endpoint.id();
        }

        public boolean allows(String upstreamModel) {
            return allowedModels.map(list -> list.contains(upstreamModel)).orElse(true);
        }
    }

    /**
     * Stores the providers the config file defines, replacing what the database held for them; from then on
     * they can only be changed in the config file.
     *
     * @throws ConfigException naming the provider when a definition is invalid
     */
    public void applyConfigured(List<PlugAiConfig.ProviderDefinition> definitions) {
        Set<String> ids = new LinkedHashSet<>();
        for (PlugAiConfig.ProviderDefinition definition : definitions) {
            try {
                store(definition.id(), definition.kind(), definition.baseUrl(), definition.headers(),
                        definition.allowedModels());
            } catch (PlugAiException.InvalidRequest e) {
                // The messages name the API's field; the file spells it base-url.
                throw new ConfigException("Provider '" + definition.id() + "' in the config file: "
                        + e.getMessage().replace("base_url", "base-url"));
            }
            ids.add(definition.id());
        }
        configured = Set.copyOf(ids);
        changes.incrementAndGet();
    }

    /** Whether the config file defines this provider (so the admin API may not change it). */
    public boolean isConfigured(String id) {
        return configured.contains(id);
    }

    /**
     * Creates or replaces a provider; {@code baseUrl} may be empty for kinds with a public default.
     *
     * @throws PlugAiException.Conflict when the config file defines it
     */
    public Provider put(String id, String kind, Optional<URI> baseUrl, Map<String, String> headers,
                        Optional<List<String>> allowedModels) {
        requireEditable(id);
        try {
            return store(id, kind, baseUrl, headers, allowedModels);
        } finally {
            changes.incrementAndGet();
        }
    }

    /** @throws PlugAiException.Conflict when the config file defines the provider, so the API may not change it */
    public void requireEditable(String id) {
        if (isConfigured(id)) {
            throw new PlugAiException.Conflict("Provider " + id + " is defined in the config file; change it there "
                    + "and restart.");
        }
    }

    private Provider store(String id, String kind, Optional<URI> baseUrl, Map<String, String> headers,
                           Optional<List<String>> allowedModels) {
        if (id == null || !ID.matcher(id).matches() || id.equals("local")) {
            throw new PlugAiException.InvalidRequest("A provider id has 1 to 100 characters: a-z, 0-9, '.', '_', '-' "
                    + "(and is not 'local').");
        }
        ProviderKinds.Kind known = kinds.find(kind).orElseThrow(() -> new PlugAiException.InvalidRequest(
                "Unknown provider kind '" + kind + "'; known: " + String.join(", ", kinds.names()) + "."));
        URI url = baseUrl.or(known::defaultBaseUrl).orElseThrow(() -> new PlugAiException.InvalidRequest(
                "A provider of kind " + kind + " needs a base_url."));
        String scheme = url.getScheme() == null ? "" : url.getScheme();
        if (!scheme.equals("https") && !scheme.equals("http") || url.getHost() == null) {
            throw new PlugAiException.InvalidRequest("base_url must be an absolute http or https URL.");
        }
        for (String header : headers.keySet()) {
            String lower = header.toLowerCase(java.util.Locale.ROOT);
            if (lower.equals("authorization") || lower.contains("api-key") || lower.equals("cookie")) {
                throw new PlugAiException.InvalidRequest("Credentials do not go in headers; store them as the "
                        + "provider's credential.");
            }
        }
        Provider provider = new Provider(new ProviderEndpoint(id, kind, url, headers), allowedModels.map(List::copyOf));
        String now = clock.instant().toString();
        database.write(handle -> handle.createUpdate("""
                        INSERT INTO provider (id, kind, base_url, headers, allowed_models, created_at, updated_at)
                        VALUES (:id, :kind, :url, :headers, :allowed, :now, :now)
                        ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, base_url = excluded.base_url,
                            headers = excluded.headers, allowed_models = excluded.allowed_models,
                            updated_at = excluded.updated_at""")
                .bind("id", id).bind("kind", kind).bind("url", url.toString()).bind("headers", json(headers))
                .bind("allowed", allowedModels.map(ProviderDirectory::json).orElse(null)).bind("now", now).execute());
        return provider;
    }

    public Optional<Provider> find(String id) {
        return database.read(handle -> handle.createQuery("SELECT * FROM provider WHERE id = :id").bind("id", id)
                .map((rs, ctx) -> map(rs)).findOne());
    }

    public List<Provider> list() {
        return database.read(handle -> handle.createQuery("SELECT * FROM provider ORDER BY id")
                .map((rs, ctx) -> map(rs)).list());
    }

    /**
     * Removes a provider (its models are the registry's to remove: see {@link ProviderService#delete}).
     *
     * @throws PlugAiException.Conflict when the config file defines it
     * @throws PlugAiException.NotFound when there is none
     */
    public void delete(String id) {
        requireEditable(id);
        int removed = database.write(handle -> handle.createUpdate("DELETE FROM provider WHERE id = :id")
                .bind("id", id).execute());
        changes.incrementAndGet();
        if (removed == 0) {
            throw new PlugAiException.NotFound("No provider " + id + ".");
        }
    }

    /** Counts changes to providers, so what was made from them can tell when it is out of date. */
    public long changes() {
        return changes.get();
    }

    private static Provider map(ResultSet rs) throws SQLException {
        try {
            Map<String, String> headers = JSON.readValue(rs.getString("headers"), new TypeReference<>() { });
            String allowed = rs.getString("allowed_models");
            Optional<List<String>> models = allowed == null ? Optional.empty()
                    : Optional.of(JSON.readValue(allowed, new TypeReference<List<String>>() { }));
            return new Provider(new ProviderEndpoint(rs.getString("id"), rs.getString("kind"),
                    URI.create(rs.getString("base_url")), headers), models);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A stored provider holds invalid JSON", e);
        }
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
