package dev.plugai.core.identity;

import dev.plugai.core.MutableClock;
import dev.plugai.core.audit.AuditLog;
import dev.plugai.core.config.PlugAiConfig;
import dev.plugai.core.db.Database;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** A real database in a temporary folder with the identity services on a hand-moved clock. */
final class IdentityFixture implements AutoCloseable {

    static final char[] PASSWORD = "correct horse battery".toCharArray();

    final MutableClock clock = new MutableClock(Instant.parse("2026-11-26T08:00:00Z"));
    final Database database;
    final AuditLog audit;
    final IdentityService identity;

    IdentityFixture(Path folder) {
        database = Database.open(folder.resolve("plugai.db"), Duration.ofSeconds(5));
        audit = new AuditLog(database, clock);
        identity = new IdentityService(database, new PlugAiConfig.AuthSettings(Duration.ofHours(1), Duration.ofDays(1),
                "auto", 5, Duration.ofMinutes(15), 2, Duration.ofDays(7), Optional.empty()), audit, clock);
    }

    User user(String name, Role role) {
        return identity.users().create(name, PASSWORD.clone(), role, null);
    }

    @Override
    public void close() {
        database.close();
    }
}
