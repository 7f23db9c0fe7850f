package dev.plugai.core.identity.credentials;

import dev.plugai.core.db.Database;
import dev.plugai.core.errors.ErrorKind;
import dev.plugai.core.errors.PlugAiException;
import dev.plugai.core.identity.credentials.CredentialCipher.RowIdentity;
import dev.plugai.core.identity.credentials.CredentialCipher.Sealed;
import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Stores provider credentials per user and for the operator, encrypted at rest with AES-256-GCM under the
 * master key; shows them masked, reveals them only to code that must send them to a provider, and rotates
 * the master key in one transaction.
 *
 * <p>Thread-safe. Reads and writes run concurrently with each other; a rotation runs alone.
 */
public final class CredentialVault {

    private static final Logger LOG = LoggerFactory.getLogger(CredentialVault.class);
    private static final Pattern PROVIDER_ID = Pattern.compile("[a-z0-9][a-z0-9._-]{0,99}");
    private static final String COLUMNS = """
            id, owner_key, owner_user_id, provider, type, ciphertext, iv, key_id, masked, shared_with_users,
            created_at, updated_at""";

    private final Database database;
    private final MasterKeyStore keys;
    private final Clock clock;
    private final CredentialCipher cipher = new CredentialCipher(new SecureRandom());
    // Writers take the shared side too: a write must not encrypt under a key a running rotation replaces.
    private final ReentrantReadWriteLock rotationLock = new ReentrantReadWriteLock(true);
    private final AtomicLong changes = new AtomicLong();

    /** Opens the vault and, if the process stopped in the middle of a key rotation, finishes or undoes it. */
    public CredentialVault(Database database, MasterKeyStore keys, Clock clock) {
        this.database = Objects.requireNonNull(database, "database");
        this.keys = Objects.requireNonNull(keys, "keys");
        this.clock = Objects.requireNonNull(clock, "clock");
        finishInterruptedRotation();
        warnAboutMissingKeys();
    }

    /** Stores {@code secret} as {@code owner}'s credential for {@code provider}, replacing any earlier one. */
    public ProviderCredential put(CredentialOwner owner, String provider, CredentialSecret secret,
                                  boolean sharedWithUsers) {
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(secret, "secret");
        String providerId = providerId(provider);
        if (sharedWithUsers && !owner.isOperator()) {
            throw new PlugAiException.InvalidRequest("Only operator credentials can be shared with other users.");
        }
        String masked = SecretJson.writeMasked(secret.masked());
        byte[] plaintext = SecretJson.write(secret);
        try {
            return underSharedLock(() -> database.write(handle -> {
                requireUserExists(handle, owner);
                Optional<StoredCredential> existing = find(handle, owner, providerId);
                String id = existing.map(StoredCredential::id).orElseGet(() -> UUID.randomUUID().toString());
                Sealed sealed = cipher.seal(keys.current(), new RowIdentity(owner.storageKey(), id, providerId),
                        plaintext);
                String now = clock.instant().toString();
                handle.createUpdate(existing.isPresent() ? """
                                UPDATE provider_credential
                                SET type = :type, ciphertext = :ciphertext, iv = :iv, key_id = :keyId,
                                    masked = :masked, shared_with_users = :shared, updated_at = :now
                                WHERE id = :id""" : """
                                INSERT INTO provider_credential (id, owner_key, owner_user_id, provider, type,
                                    ciphertext, iv, key_id, masked, shared_with_users, created_at, updated_at)
                                VALUES (:id, :ownerKey, :ownerUserId, :provider, :type, :ciphertext, :iv, :keyId,
                                    :masked, :shared, :now, :now)""")
                        .bind("id", id)
                        .bind("ownerKey", owner.storageKey())
                        .bind("ownerUserId", owner.userId())
                        .bind("provider", providerId)
                        .bind("type", secret.type())
                        .bind("ciphertext", sealed.ciphertext())
                        .bind("iv", sealed.iv())
                        .bind("keyId", sealed.keyId())
                        .bind("masked", masked)
                        .bind("shared", sharedWithUsers ? 1 : 0)
                        .bind("now", now)
                        .execute();
                return find(handle, owner, providerId).orElseThrow().view();
            }));
        } finally {
            Arrays.fill(plaintext, (byte) 0);
            changes.incrementAndGet();
        }
    }

    /**
     * Counts stores and removals of credentials, so what was made from a revealed secret (a provider client)
     * can tell when it is out of date. A key rotation changes no secret, so it does not count.
     */
    public long changes() {
        return changes.get();
    }

    /** {@code owner}'s credential for {@code provider}, masked; empty when it has none. */
    public Optional<ProviderCredential> describe(CredentialOwner owner, String provider) {
        String providerId = providerId(provider);
        return database.read(handle -> find(handle, owner, providerId)).map(StoredCredential::view);
    }

    /** All of {@code owner}'s credentials, masked, by provider. */
    public List<ProviderCredential> list(CredentialOwner owner) {
        return database.read(handle -> handle.createQuery("SELECT " + COLUMNS
                        + " FROM provider_credential WHERE owner_key = :ownerKey ORDER BY provider")
                .bind("ownerKey", owner.storageKey())
                .map((rs, ctx) -> StoredCredential.from(rs))
                .list()).stream().map(StoredCredential::view).toList();
    }

    /** Removes {@code owner}'s credential for {@code provider}; false when there was none. */
    public boolean delete(CredentialOwner owner, String provider) {
        String providerId = providerId(provider);
        try {
            return underSharedLock(() -> database.write(handle -> handle.createUpdate(
                            "DELETE FROM provider_credential WHERE owner_key = :ownerKey AND provider = :provider")
                    .bind("ownerKey", owner.storageKey())
                    .bind("provider", providerId)
                    .execute()) > 0);
        } finally {
            changes.incrementAndGet();
        }
    }

    /**
     * The decrypted secret of {@code owner}'s credential for {@code provider}: for provider adapters about to
     * call the provider, never for display. Fails with a domain error when the row does not decrypt.
     */
    public Optional<CredentialSecret> reveal(CredentialOwner owner, String provider) {
        String providerId = providerId(provider);
        return underSharedLock(() -> database.read(handle -> find(handle, owner, providerId)).map(this::decrypt));
    }

    /**
     * The secret a request by {@code userId} should use for {@code provider}: the user's own credential, else
     * the operator's when it is shared with users.
     */
    public Optional<CredentialSecret> revealForUser(String userId, String provider) {
        Optional<CredentialSecret> own = reveal(CredentialOwner.user(userId), provider);
        if (own.isPresent()) {
            return own;
        }
        String providerId = providerId(provider);
        return underSharedLock(() -> database.read(handle -> find(handle, CredentialOwner.operator(), providerId))
                .filter(StoredCredential::sharedWithUsers)
                .map(this::decrypt));
    }

    /**
     * Replaces the master key: writes the new key beside the old one, re-encrypts every credential under it
     * in one transaction, then renames the new key over the old. A crash at any point leaves either every row
     * on the old key (the new file is discarded at the next start) or every row on the new key (the rename is
     * finished at the next start).
     */
    public KeyRotation rotate() {
        Lock exclusive = rotationLock.writeLock();
        exclusive.lock();
        try {
            MasterKey previous = keys.current();
            MasterKey next = keys.createNext();
            int reencrypted;
            try {
                reencrypted = database.write(handle -> reencryptAll(handle, next));
            } catch (RuntimeException e) {
                keys.discardNext();
                throw e;
            }
            keys.promoteNext();
            LOG.info("Rotated the master key from {} to {}; {} credentials re-encrypted", previous.id(), next.id(),
                    reencrypted);
            return new KeyRotation(previous.id(), next.id(), reencrypted);
        } finally {
            exclusive.unlock();
        }
    }

    private int reencryptAll(Handle handle, MasterKey next) {
        List<StoredCredential> rows = handle.createQuery("SELECT " + COLUMNS + " FROM provider_credential")
                .map((rs, ctx) -> StoredCredential.from(rs))
                .list();
        for (StoredCredential row : rows) {
            byte[] plaintext = open(row);
            try {
                Sealed sealed = cipher.seal(next, row.identity(), plaintext);
                handle.createUpdate("""
                                UPDATE provider_credential SET ciphertext = :ciphertext, iv = :iv, key_id = :keyId
                                WHERE id = :id""")
                        .bind("ciphertext", sealed.ciphertext())
                        .bind("iv", sealed.iv())
                        .bind("keyId", sealed.keyId())
                        .bind("id", row.id())
                        .execute();
            } finally {
                Arrays.fill(plaintext, (byte) 0);
            }
        }
        return rows.size();
    }

    private void finishInterruptedRotation() {
        keys.next().ifPresent(next -> {
            long onNextKey = database.read(handle -> handle.createQuery(
                            "SELECT COUNT(*) FROM provider_credential WHERE key_id = :keyId")
                    .bind("keyId", next.id())
                    .mapTo(Long.class)
                    .one());
            // The re-encryption is one transaction: either some rows use the new key (it committed) or none do.
            if (onNextKey > 0) {
                keys.promoteNext();
                LOG.info("Finished an interrupted master key rotation: key {} is now in use", next.id());
            } else {
                keys.discardNext();
                LOG.info("Undid an interrupted master key rotation: key {} was never used", next.id());
            }
        });
    }

    private void warnAboutMissingKeys() {
        List<String> keyIds = database.read(handle -> handle.createQuery(
                "SELECT DISTINCT key_id FROM provider_credential").mapTo(String.class).list());
        for (String keyId : keyIds) {
            if (keys.byId(keyId).isEmpty()) {
                LOG.warn("Some stored credentials were encrypted with master key {}, which is not in the secrets "
                        + "folder; they cannot be used until that key file is restored", keyId);
            }
        }
    }

    private CredentialSecret decrypt(StoredCredential row) {
        byte[] plaintext = open(row);
        try {
            CredentialSecret secret = SecretJson.readOrNull(plaintext);
            if (secret == null || !secret.type().equals(row.type())) {
                throw CredentialCipher.unreadable();
            }
            return secret;
        } finally {
            Arrays.fill(plaintext, (byte) 0);
        }
    }

    private byte[] open(StoredCredential row) {
        MasterKey key = keys.byId(row.keyId()).orElseThrow(() -> new PlugAiException.Internal(ErrorKind.CREDENTIAL_UNREADABLE,
                "stored credential was encrypted with master key " + row.keyId()
                        + ", which is not in the secrets folder", null));
        return cipher.open(key, row.identity(), new Sealed(row.ciphertext(), row.iv(), row.keyId()));
    }

    private <T> T underSharedLock(Supplier<T> action) {
        Lock shared = rotationLock.readLock();
        shared.lock();
        try {
            return action.get();
        } finally {
            shared.unlock();
        }
    }

    private static Optional<StoredCredential> find(Handle handle, CredentialOwner owner, String providerId) {
        return handle.createQuery("SELECT " + COLUMNS
                        + " FROM provider_credential WHERE owner_key = :ownerKey AND provider = :provider")
                .bind("ownerKey", owner.storageKey())
                .bind("provider", providerId)
                .map((rs, ctx) -> StoredCredential.from(rs))
                .findOne();
    }

    private static void requireUserExists(Handle handle, CredentialOwner owner) {
        if (!owner.isOperator() && handle.createQuery("SELECT COUNT(*) FROM app_user WHERE id = :id")
                .bind("id", owner.userId()).mapTo(Integer.class).one() == 0) {
            throw new PlugAiException.NotFound("No user with id " + owner.userId() + ".");
        }
    }

    private static String providerId(String provider) {
        String normalised = provider == null ? "" : provider.strip().toLowerCase(Locale.ROOT);
        if (!PROVIDER_ID.matcher(normalised).matches()) {
            throw new PlugAiException.InvalidRequest(
                    "A provider id is 1 to 100 letters, digits, '.', '_' or '-', starting with a letter or digit.");
        }
        return normalised;
    }

    /** One row of {@code provider_credential}, still encrypted. */
    private record StoredCredential(String id, String ownerKey, String ownerUserId, String provider, String type,
                                    String ciphertext, String iv, String keyId, String masked,
                                    boolean sharedWithUsers, String createdAt, String updatedAt) {

        static StoredCredential from(java.sql.ResultSet rs) throws java.sql.SQLException {
            return new StoredCredential(rs.getString("id"), rs.getString("owner_key"), rs.getString("owner_user_id"),
                    rs.getString("provider"), rs.getString("type"), rs.getString("ciphertext"), rs.getString("iv"),
                    rs.getString("key_id"), rs.getString("masked"), rs.getInt("shared_with_users") == 1,
                    rs.getString("created_at"), rs.getString("updated_at"));
        }

        RowIdentity identity() {
            return new RowIdentity(ownerKey, id, provider);
        }

        ProviderCredential view() {
            CredentialOwner owner = ownerUserId == null ? CredentialOwner.operator() : CredentialOwner.user(ownerUserId);
            return new ProviderCredential(id, owner, provider, type, SecretJson.readMasked(masked), sharedWithUsers,
                    keyId, Instant.parse(createdAt), Instant.parse(updatedAt));
        }

        @Override
        public String toString() {
            return "StoredCredential[" + id + ", " + ownerKey + ", " + provider + ", " + type + ", key " + keyId + "]";
        }
    }
}
