package dev.plugai.core.identity;

import dev.plugai.core.db.Database;
import dev.plugai.core.errors.ErrorKind;
import dev.plugai.core.errors.PlugAiException;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Invite-only registration: an admin creates a single-use code with an expiry (and optionally the
 * role the new account gets and a note); whoever holds the code can create one account with it.
 * Only the code's SHA-256 is stored; the code is shown once.
 *
 * <p>Thread-safe.
 */
public final class Invites {

    private static final Duration MAX_TTL = Duration.ofDays(90);
    private static final String COLUMNS =
            "id, role, note, created_by, created_at, expires_at, used_at, used_by, revoked_at";

    private final Database database;
    private final UserDirectory users;
    private final Clock clock;

    public Invites(Database database, UserDirectory users, Clock clock) {
        this.database = database;
        this.users = users;
        this.clock = clock;
    }

    /** A new invite; the returned code is shown once. */
    public CreatedInvite create(String createdBy, Role role, String note, Duration validFor) {
        if (validFor.isNegative() || validFor.isZero() || validFor.compareTo(MAX_TTL) > 0) {
            throw new PlugAiException.InvalidRequest("An invite is valid for at least a second and at most 90 days.");
        }
        String cleanNote = note == null || note.isBlank() ? null : note.strip();
        if (cleanNote != null && cleanNote.length() > 400) {
            throw new PlugAiException.InvalidRequest("The note must have at most 400 characters.");
        }
        String code = SecretTokens.base62(24);
        Instant now = clock.instant();
        InviteInfo info = new InviteInfo(SecretTokens.id("inv"), role, cleanNote, createdBy, now, now.plus(validFor),
                Optional.empty(), Optional.empty(), Optional.empty());
        database.write(handle -> handle.createUpdate("""
                        INSERT INTO invite (id, code_hash, role, note, created_by, created_at, expires_at)
                        VALUES (:id, :codeHash, :role, :note, :createdBy, :createdAt, :expiresAt)""")
                .bind("id", info.id()).bind("codeHash", SecretTokens.sha256Hex(code)).bind("role", role.wireName())
                .bind("note", cleanNote).bind("createdBy", createdBy).bind("createdAt", now.toString())
                .bind("expiresAt", info.expiresAt().toString()).execute());
        return new CreatedInvite(code, info);
    }

    /** Every invite, newest first. */
    public List<InviteInfo> list() {
        return database.read(handle -> handle.createQuery("SELECT " + COLUMNS + " FROM invite ORDER BY created_at DESC")
                .map((rs, ctx) -> map(rs)).list());
    }

    /** Revokes an unused invite. */
    public InviteInfo revoke(String id) {
        return database.write(handle -> {
            InviteInfo info = handle.createQuery("SELECT " + COLUMNS + " FROM invite WHERE id = :id").bind("id", id)
                    .map((rs, ctx) -> map(rs)).findOne()
                    .orElseThrow(() -> new PlugAiException.NotFound("No invite with id " + id + "."));
            if (info.usedAt().isPresent()) {
                throw new PlugAiException.Conflict("This invite has been used already; disable the account instead.");
            }
            if (info.revokedAt().isPresent()) {
                return info;
            }
            Instant now = clock.instant();
            handle.createUpdate("UPDATE invite SET revoked_at = :now WHERE id = :id")
                    .bind("now", now.toString()).bind("id", id).execute();
            return new InviteInfo(info.id(), info.role(), info.note(), info.createdBy(), info.createdAt(),
                    info.expiresAt(), info.usedAt(), info.usedBy(), Optional.of(now));
        });
    }

    /** Creates an account with an invite code, using the code up. */
    public User redeem(String code, String username, char[] password, String displayName) {
        if (code == null || code.isBlank() || code.length() > 100) {
            throw invalid("An invite code is required.");
        }
        String codeHash = SecretTokens.sha256Hex(code.strip());
        // Check the code before the slow password hash, and again inside the transaction.
        InviteInfo before = findUsable(codeHash);
        UserDirectory.NewAccount account = users.prepare(username, password, before.role(), displayName);
        return database.write(handle -> {
            InviteInfo invite = handle.createQuery("SELECT " + COLUMNS + " FROM invite WHERE code_hash = :codeHash")
                    .bind("codeHash", codeHash).map((rs, ctx) -> map(rs)).findOne()
                    .orElseThrow(() -> invalid("This invite code is not valid."));
            requireUsable(invite);
            User user = users.insert(handle, account);
            handle.createUpdate("UPDATE invite SET used_at = :now, used_by = :userId WHERE id = :id")
                    .bind("now", clock.instant().toString()).bind("userId", user.id()).bind("id", invite.id()).execute();
            return user;
        });
    }

    private InviteInfo findUsable(String codeHash) {
        InviteInfo invite = database.read(handle -> handle.createQuery(
                        "SELECT " + COLUMNS + " FROM invite WHERE code_hash = :codeHash")
                .bind("codeHash", codeHash).map((rs, ctx) -> map(rs)).findOne())
                .orElseThrow(() -> invalid("This invite code is not valid."));
        requireUsable(invite);
        return invite;
    }

    private void requireUsable(InviteInfo invite) {
        switch (invite.status(clock.instant())) {
            case USED -> throw invalid("This invite has been used already.");
            case EXPIRED -> throw invalid("This invite has expired; ask for a new one.");
            case REVOKED -> throw invalid("This invite was revoked.");
            case ACTIVE -> { }
        }
    }

    private static PlugAiException invalid(String detail) {
        return new PlugAiException.InvalidRequest(ErrorKind.INVITE_INVALID, detail);
    }

    private static InviteInfo map(ResultSet rs) throws SQLException {
        return new InviteInfo(rs.getString("id"), Role.fromWire(rs.getString("role")), rs.getString("note"),
                rs.getString("created_by"), Instant.parse(rs.getString("created_at")),
                Instant.parse(rs.getString("expires_at")),
                Optional.ofNullable(rs.getString("used_at")).map(Instant::parse),
                Optional.ofNullable(rs.getString("used_by")),
                Optional.ofNullable(rs.getString("revoked_at")).map(Instant::parse));
    }

    /** Where an invite stands. */
    public enum Status { ACTIVE, USED, EXPIRED, REVOKED }

    /** What is known about an invite; never its code. */
    public record InviteInfo(String id, Role role, String note, String createdBy, Instant createdAt, Instant expiresAt,
                             Optional<Instant> usedAt, Optional<String> usedBy, Optional<Instant> revokedAt) {

        public Status status(Instant now) {
            if (usedAt.isPresent()) {
                return Status.USED;
            }
            if (revokedAt.isPresent()) {
                return Status.REVOKED;
            }
            return now.isBefore(expiresAt) ? Status.ACTIVE : Status.EXPIRED;
        }
    }

    /** An invite just made: the {@code code} is shown this once. */
    public record CreatedInvite(String code, InviteInfo info) {
        @Override
        public String toString() {
            return "CreatedInvite[" + info + "]";
        }
    }
}
