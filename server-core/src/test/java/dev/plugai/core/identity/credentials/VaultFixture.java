package dev.plugai.core.identity.credentials;

import dev.plugai.core.db.Database;
import dev.plugai.core.storage.DataDirectory;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

/** A real data folder with a real SQLite file, and helpers to reopen the vault as a restarted server would. */
final class VaultFixture implements AutoCloseable {

    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-01T10:15:30Z"), ZoneOffset.UTC);

    final DataDirectory data;
    final Database database;

    VaultFixture(Path folder) {
        this.data = DataDirectory.open(folder);
        this.database = Database.open(data.databaseFile(), Duration.ofSeconds(5));
    }

    /** A vault over fresh key state read from the files, as after a restart. */
    CredentialVault openVault() {
        return new CredentialVault(database, MasterKeyStore.in(data), CLOCK);
    }

    void addUser(String id) {
        database.write(handle -> handle.createUpdate("""
                        INSERT INTO app_user (id, username, role, password_hash, created_at, updated_at,
                            password_changed_at)
                        VALUES (:id, :id, 'user', 'x', :now, :now, :now)""")
                .bind("id", id)
                .bind("now", CLOCK.instant().toString())
                .execute());
    }

    Path keyFile(String name) {
        return data.secrets().resolve(name);
    }

    @Override
    public void close() {
        database.close();
    }
}
