package dev.plugai.desktop.cli;

import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The command-line flags that set configuration, shared by {@code plugai}, {@code plugai --server}
 * and {@code plugai serve}. Each maps onto a setting of the catalogue; {@code --set} reaches any of them.
 */
public final class ServerOptions {

    @Option(names = "--host", paramLabel = "ADDRESS",
            description = "Address to bind (setting server.host; default 127.0.0.1, use 0.0.0.0 for the LAN).")
    String host;

    @Option(names = "--port", paramLabel = "PORT",
            description = "Port to listen on (setting server.port; default 8480; 0 picks a free port).")
    String port;

    @Mixin
    DataOptions data = new DataOptions();

    /** The flags as setting key to raw value; the named flags win over {@code --set}. */
    public Map<String, String> asSettings() {
        Map<String, String> flags = data.asSettings();
        if (host != null) {
            flags.put("server.host", host);
        }
        if (port != null) {
            flags.put("server.port", port);
        }
        return flags;
    }

    public Optional<Path> configFile() {
        return data.configFile();
    }
}
