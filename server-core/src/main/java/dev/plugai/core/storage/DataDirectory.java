package dev.plugai.core.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.ByteBuffer;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * The data folder and its fixed layout: {@code db/}, {@code models/}, {@code artifacts/},
 * {@code downloads/}, {@code logs/} and {@code secrets/}. Folders are created for the current user
 * only (0700 on POSIX file systems); secret files are written atomically with mode 0600.
 *
 * <p>Immutable and thread-safe.
 */
public final class DataDirectory {

    private static final Set<PosixFilePermission> OWNER_ONLY_DIR = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> OWNER_ONLY_FILE = PosixFilePermissions.fromString("rw-------");

    private final Path root;

    private DataDirectory(Path root) {
        this.root = root;
    }

    /** Opens the data folder at {@code root}, creating it and its layout when missing. */
    public static DataDirectory open(Path root) {
        Path absolute = root.toAbsolutePath().normalize();
        DataDirectory directory = new DataDirectory(absolute);
        createPrivateDirectory(absolute);
        for (Path sub : List.of(directory.database(), directory.models(), directory.artifacts(),
                directory.downloads(), directory.logs(), directory.secrets())) {
            createPrivateDirectory(sub);
        }
        // Secrets stay private even if the folder pre-existed with looser modes.
        restrictToOwner(directory.secrets(), OWNER_ONLY_DIR);
        return directory;
    }

    public Path root() {
        return root;
    }

    public Path database() {
        return root.resolve("db");
    }

    public Path databaseFile() {
        return database().resolve("plugai.db");
    }

    public Path models() {
        return root.resolve("models");
    }

    public Path artifacts() {
        return root.resolve("artifacts");
    }

    public Path downloads() {
        return root.resolve("downloads");
    }

    public Path logs() {
        return root.resolve("logs");
    }

    public Path secrets() {
        return root.resolve("secrets");
    }

    /**
     * Writes a secret file in {@code secrets/} atomically: the bytes go to a 0600 temporary file in the
     * same folder, are forced to disk and then moved over the target, so a reader sees the old file or the
     * new one, never half of one.
     */
    public Path writeSecret(String fileName, byte[] content) {
        if (fileName.contains("/") || fileName.contains("\\") || fileName.startsWith(".")) {
            throw new IllegalArgumentException("A secret file name must be a plain name");
        }
        Path target = secrets().resolve(fileName);
        Path temporary = secrets().resolve("." + fileName + "." + UUID.randomUUID() + ".tmp");
        try {
            try (FileChannel channel = FileChannel.open(temporary,
                    Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), ownerOnlyFileAttributes())) {
                ByteBuffer buffer = ByteBuffer.wrap(content);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return target;
        } catch (IOException e) {
            try {
                Files.deleteIfExists(temporary);
            } catch (IOException ignored) {
                // the original failure is the one worth reporting
            }
            throw new UncheckedIOException("Cannot write secret file " + fileName, e);
        }
    }

    private static FileAttribute<?>[] ownerOnlyFileAttributes() {
        return isPosix() ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_ONLY_FILE)}
                : new FileAttribute<?>[0];
    }

    private static void createPrivateDirectory(Path directory) {
        try {
            if (isPosix()) {
                Files.createDirectories(directory, PosixFilePermissions.asFileAttribute(OWNER_ONLY_DIR));
            } else {
                Files.createDirectories(directory);
            }
        } catch (FileAlreadyExistsException e) {
            throw new UncheckedIOException("The data folder path exists but is not a folder: " + directory, e);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create the data folder " + directory, e);
        }
        if (!Files.isDirectory(directory) || !Files.isWritable(directory)) {
            throw new UncheckedIOException(new IOException("The data folder " + directory + " is not writable"));
        }
    }

    private static void restrictToOwner(Path path, Set<PosixFilePermission> permissions) {
        if (!isPosix()) {
            return;
        }
        try {
            Files.getFileAttributeView(path, PosixFileAttributeView.class).setPermissions(permissions);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot restrict permissions of " + path, e);
        }
    }

    private static boolean isPosix() {
        return java.nio.file.FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    }
}
