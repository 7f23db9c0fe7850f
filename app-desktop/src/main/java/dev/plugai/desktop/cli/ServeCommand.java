package dev.plugai.desktop.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.concurrent.Callable;

/** {@code plugai serve}: the API server, headless, in the foreground. Same as {@code plugai --server}. */
@Command(name = "serve",
        mixinStandardHelpOptions = true,
        versionProvider = PlugAiCommand.Version.class,
        description = "Run the API server headless in the foreground (same as 'plugai --server').",
        sortOptions = false,
        footerHeading = "%nSettings (defaults < config file < PLUGAI_* environment < flags):%n")
public final class ServeCommand implements Callable<Integer> {

    @Mixin
    ServerOptions options = new ServerOptions();

    @Override
    public Integer call() {
        return new ServerLauncher(options).run();
    }
}
