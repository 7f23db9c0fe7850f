package dev.plugai.desktop.cli;

import dev.plugai.core.config.Settings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.util.concurrent.Callable;

/** {@code plugai settings}: the catalogue of settings, as text or as the Markdown table of the docs. */
@Command(name = "settings",
        mixinStandardHelpOptions = true,
        versionProvider = PlugAiCommand.Version.class,
        description = "List every setting: key, environment variable, default and meaning.")
public final class SettingsCommand implements Callable<Integer> {

    @Option(names = "--markdown", description = "Print the Markdown table used in docs/configuration.md.")
    boolean markdown;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().getOut().print(markdown ? Settings.markdownTable() : Settings.helpText());
        spec.commandLine().getOut().flush();
        return 0;
    }
}
