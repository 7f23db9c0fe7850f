package dev.plugai.core.config;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class SettingsCatalogueTest {

    @Test
    void theConfigurationDocPrintsTheCatalogueAsItIs() throws IOException {
        Path doc = Path.of("..", "docs", "configuration.md");
        String text = Files.readString(doc);

        assertThat(text)
                .as("docs/configuration.md must contain Settings.markdownTable() verbatim; regenerate it with "
                        + "'plugai settings --markdown'")
                .contains(Settings.markdownTable());
    }

    @Test
    void everySettingHasADistinctKeyAndEnvironmentVariable() {
        assertThat(Settings.ALL).extracting(Setting::key).doesNotHaveDuplicates();
        assertThat(Settings.ALL).extracting(Setting::envVariable).doesNotHaveDuplicates()
                .allSatisfy(env -> assertThat(env).matches("PLUGAI_[A-Z0-9_]+"));
    }

    @Test
    void everyDefaultParses() {
        for (Setting<?> setting : Settings.ALL) {
            if (setting.defaultValue() != null) {
                assertThat(setting.parse(setting.defaultValue())).as(setting.key()).isNotNull();
            }
        }
    }
}
