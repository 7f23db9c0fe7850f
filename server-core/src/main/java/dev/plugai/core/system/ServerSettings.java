package dev.plugai.core.system;

import dev.plugai.core.db.Database;

import java.time.Clock;
import java.util.Optional;

/**
 * Server-wide choices made at run time through the API (as opposed to the config file), kept in the
 * database so they survive restarts, e.g. the default model an admin named.
 *
 * <p>Thread-safe.
 */
public final class ServerSettings {

    /** The default model named through {@code PUT /v1/admin/default-model}. */
    public static final String DEFAULT_MODEL = "models.default";

    private final Database database;
    private final Clock clock;

    public ServerSettings(Database database, Clock clock) {
        this.database = database;
        this.clock = clock;
    }

    public Optional<String> get(String name) {
        return database.read(handle -> handle.createQuery("SELECT value FROM server_setting WHERE name = :name")
                .bind("name", name).mapTo(String.class).findOne());
    }

    public void put(String name, String value) {
        database.write(handle -> handle.createUpdate("""
                        INSERT INTO server_setting (name, value, updated_at) VALUES (:name, :value, :now)
                        ON CONFLICT (name) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at""")
                .bind("name", name).bind("value", value).bind("now", clock.instant().toString()).execute());
    }
}
