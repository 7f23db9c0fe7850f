package dev.plugai.desktop.cli;

import dev.plugai.core.config.ConfigException;
import dev.plugai.core.config.Settings;
import dev.plugai.core.errors.PlugAiException;
import dev.plugai.core.system.BuildInfo;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

/**
 * {@code plugai}: with {@code --server} (or no arguments, until the operator console exists) it runs
 * the API server in the foreground; subcommands do offline administration.
 */
@Command(name = "plugai",
        mixinStandardHelpOptions = true,
        versionProvider = PlugAiCommand.Version.class,
        description = "PlugAI: a self-hosted LLM gateway. One standard API over commercial providers, "
                + "free/public APIs and local models.",
        subcommands = {ServeCommand.class, UsersCommand.class, TokensCommand.class, SecretsCommand.class, SettingsCommand.class,
                CommandLine.HelpCommand.class},
        sortOptions = false,
        footerHeading = "%nSettings (defaults < config file < PLUGAI_* environment < flags):%n",
        footer = "%s")
public final class PlugAiCommand implements Callable<Integer> {

    @Option(names = "--server",
            description = "Run the API server headless in the foreground (same as 'plugai serve').")
    boolean server;

    @Mixin
    ServerOptions options = new ServerOptions();

    /** The configured command line, shared by {@link dev.plugai.desktop.Main} and the tests. */
    public static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new PlugAiCommand());
        // The footer lists the catalogue, so --help and the docs can never disagree.
        commandLine.getCommandSpec().usageMessage().footer(Settings.helpText());
        commandLine.getSubcommands().get("serve").getCommandSpec().usageMessage().footer(Settings.helpText());
        commandLine.setCaseInsensitiveEnumValuesAllowed(true);
        commandLine.setExecutionExceptionHandler((error, line, parseResult) -> {
            // Expected failures get one clear line, never a stack trace.
            if (error instanceof CliException || error instanceof PlugAiException) {
                line.getErr().println("plugai: " + error.getMessage());
                return 1;
            }
            if (error instanceof ConfigException) {
                line.getErr().println("plugai: " + error.getMessage());
                return 2;
            }
            throw error;
        });
        return commandLine;
    }

    @Override
    public Integer call() {
        // Without --server this will open the operator console once it exists; until then it serves.
        return new ServerLauncher(options).run();
    }

    /** Prints {@code plugai <version>}. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"plugai " + BuildInfo.version(), "Java " + Runtime.version()};
        }
    }
}
