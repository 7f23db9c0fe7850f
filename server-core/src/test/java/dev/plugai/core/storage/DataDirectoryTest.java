package dev.plugai.core.storage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DataDirectoryTest {

    @TempDir
    Path folder;

    @Test
    void theLayoutIsCreatedForTheOwnerOnly() throws IOException {
        DataDirectory data = DataDirectory.open(folder.resolve("plugai"));

        for (String name : new String[] {"db", "models", "artifacts", "downloads", "logs", "secrets"}) {
            Path sub = data.root().resolve(name);
            assertThat(sub).isDirectory();
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(sub))).isEqualTo("rwx------");
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data.root()))).isEqualTo("rwx------");
    }

    @Test
    void openingTwiceIsHarmlessAndTightensLooseSecretPermissions() throws IOException {
        DataDirectory.open(folder);
        Files.setPosixFilePermissions(folder.resolve("secrets"), PosixFilePermissions.fromString("rwxr-xr-x"));

        DataDirectory again = DataDirectory.open(folder);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(again.secrets())))
                .isEqualTo("rwx------");
    }

    @Test
    void secretFilesAreWrittenWholeWithMode0600() throws IOException {
        DataDirectory data = DataDirectory.open(folder);

        Path key = data.writeSecret("master.key", new byte[] {1, 2, 3});
        data.writeSecret("master.key", new byte[] {4, 5, 6, 7});

        assertThat(Files.readAllBytes(key)).containsExactly(4, 5, 6, 7);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");
        try (var files = Files.list(data.secrets())) {
            assertThat(files).as("no temporary files left behind").containsExactly(key);
        }
    }

    @Test
    void secretNamesCannotEscapeTheSecretsFolder() {
        DataDirectory data = DataDirectory.open(folder);

        assertThatThrownBy(() -> data.writeSecret("../evil", new byte[1])).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aFileInPlaceOfTheDataFolderIsAClearError() throws IOException {
        Path file = Files.writeString(folder.resolve("plugai"), "not a folder");

        assertThatThrownBy(() -> DataDirectory.open(file)).hasMessageContaining("not a folder");
    }
}
