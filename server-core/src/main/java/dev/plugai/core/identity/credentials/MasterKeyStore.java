package dev.plugai.core.identity.credentials;

import dev.plugai.core.storage.DataDirectory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.Optional;

/**
 * The master key files in the data folder's {@code secrets/}: {@code master.key} (the key in use, made at
 * first use) and, only while a rotation is under way, {@code master.key.next}. Keys live in these 0600
 * files only, never in the database or the environment.
 *
 * <p>Thread-safe (every method is synchronized; key files are small and rarely touched).
 */
public final class MasterKeyStore {

    static final String CURRENT_FILE = "master.key";
    static final String NEXT_FILE = "master.key.next";

    private static final Logger LOG = LoggerFactory.getLogger(MasterKeyStore.class);

    private final DataDirectory dataDirectory;
    private final SecureRandom random;
    private MasterKey current;
    private MasterKey next;

    private MasterKeyStore(DataDirectory dataDirectory, SecureRandom random) {
        this.dataDirectory = dataDirectory;
        this.random = random;
    }

    /** The key files of {@code dataDirectory}; nothing is read or created until a key is needed. */
    public static MasterKeyStore in(DataDirectory dataDirectory) {
        return new MasterKeyStore(dataDirectory, new SecureRandom());
    }

    /** The key in use, generated and written on first use. */
    public synchronized MasterKey current() {
        if (current == null) {
            current = read(CURRENT_FILE).orElseGet(() -> {
                MasterKey created = MasterKey.generate(random);
                dataDirectory.writeSecret(CURRENT_FILE, created.bytes());
                LOG.info("Created master key {} for stored credentials", created.id());
                return created;
            });
        }
        return current;
    }

    /** The key a rotation is switching to, if a rotation started and has not been finished or undone. */
    public synchronized Optional<MasterKey> next() {
        if (next == null) {
            next = read(NEXT_FILE).orElse(null);
        }
        return Optional.ofNullable(next);
    }

    /** The current or the next key when {@code keyId} names one of them. */
    synchronized Optional<MasterKey> byId(String keyId) {
        if (current().id().equals(keyId)) {
            return Optional.of(current);
        }
        return next().filter(key -> key.id().equals(keyId));
    }

    /** Generates a new key and writes it (forced to disk) as {@code master.key.next}, beside the current one. */
    synchronized MasterKey createNext() {
        MasterKey inUse = current();
        MasterKey created;
        do {
            created = MasterKey.generate(random);
        } while (created.id().equals(inUse.id()));
        dataDirectory.writeSecret(NEXT_FILE, created.bytes());
        next = created;
        return created;
    }

    /** Makes the next key the current one with one atomic rename; the old key is gone afterwards. */
    synchronized void promoteNext() {
        MasterKey promoted = next().orElseThrow(() -> new IllegalStateException("No next master key to promote"));
        Path secrets = dataDirectory.secrets();
        try {
            Files.move(secrets.resolve(NEXT_FILE), secrets.resolve(CURRENT_FILE), StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
            forceDirectory(secrets);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot switch to the new master key " + promoted.id(), e);
        }
        current = promoted;
        next = null;
    }

    /** Forgets an unfinished rotation's key: no row was committed under it. */
    synchronized void discardNext() {
        try {
            Files.deleteIfExists(dataDirectory.secrets().resolve(NEXT_FILE));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot remove the unused next master key", e);
        }
        next = null;
    }

    private Optional<MasterKey> read(String fileName) {
        Path file = dataDirectory.secrets().resolve(fileName);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            byte[] bytes = Files.readAllBytes(file);
            if (bytes.length != MasterKey.LENGTH_BYTES) {
                throw new IllegalStateException("The master key file " + fileName + " is not "
                        + MasterKey.LENGTH_BYTES + " bytes long; it is damaged");
            }
            return Optional.of(MasterKey.of(bytes));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the master key file " + fileName, e);
        }
    }

    /** Makes the rename itself durable; file systems that cannot open a folder for syncing skip it. */
    private static void forceDirectory(Path directory) {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            LOG.debug("Cannot sync folder {} after renaming the master key", directory.getFileName(), e);
        }
    }
}
