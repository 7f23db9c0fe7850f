package dev.plugai.desktop.cli;

import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** Where the data folder and configuration come from: shared by the server and the offline commands. */
public final class DataOptions {

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Data folder (setting data.dir; default ~/.local/share/plugai on Linux).")
    String dataDir;

    @Option(names = "--config", paramLabel = "FILE",
            description = "YAML config file (else $PLUGAI_CONFIG, else config.yaml in the data folder).")
    Path configFile;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "Any setting from the catalogue (plugai settings), e.g. --set log.format=json. Repeatable.")
    Map<String, String> settings = new LinkedHashMap<>();

    /** The flags as setting key to raw value; {@code --data-dir} wins over {@code --set data.dir}. */
    Map<String, String> asSettings() {
        Map<String, String> flags = new LinkedHashMap<>(settings);
        if (dataDir != null) {
            flags.put("data.dir", dataDir);
        }
        return flags;
    }

    Optional<Path> configFile() {
        return Optional.ofNullable(configFile);
    }
}
