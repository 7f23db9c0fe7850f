package dev.plugai.core.config;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Everything configuration is read from, gathered at the edge so that nothing else reads the
 * environment: the command-line flags (setting key to raw value), an explicit config file, the
 * process environment and the JVM's idea of the operating system and home folder.
 *
 * @param flags      raw values given on the command line, by setting key
 * @param configFile the file named by {@code --config}, if any
 * @param env        the process environment
 * @param osName     {@code os.name}, to pick the default data folder
 * @param userHome   {@code user.home}
 */
public record ConfigInputs(Map<String, String> flags, Optional<Path> configFile, Map<String, String> env,
                           String osName, Path userHome) {

    public ConfigInputs {
        flags = Map.copyOf(flags);
        env = Map.copyOf(env);
    }

    /** The inputs of this process: its environment and system properties, plus the given flags. */
    public static ConfigInputs ofProcess(Map<String, String> flags, Optional<Path> configFile) {
        return new ConfigInputs(flags, configFile, System.getenv(), System.getProperty("os.name", ""),
                Path.of(System.getProperty("user.home", ".")));
    }
}
