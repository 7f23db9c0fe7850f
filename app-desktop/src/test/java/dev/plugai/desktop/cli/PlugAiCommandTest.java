package dev.plugai.desktop.cli;

import dev.plugai.core.config.Setting;
import dev.plugai.core.config.Settings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class PlugAiCommandTest {

    private record Run(int exitCode, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = PlugAiCommand.commandLine();
        commandLine.setOut(new PrintWriter(out));
        commandLine.setErr(new PrintWriter(err));
        int exitCode = commandLine.execute(args);
        return new Run(exitCode, out.toString(), err.toString());
    }

    @Test
    void helpListsEverySettingOfTheCatalogue() {
        Run help = run("--help");

        assertThat(help.exitCode()).isZero();
        assertThat(help.out()).contains("--server", "--host", "--port", "--data-dir", "--config", "--set", "serve");
        for (Setting<?> setting : Settings.ALL) {
            assertThat(help.out()).as(setting.key()).contains(setting.key()).contains(setting.envVariable());
        }
    }

    @Test
    void serveHasTheSameHelp() {
        Run help = run("serve", "--help");

        assertThat(help.exitCode()).isZero();
        for (Setting<?> setting : Settings.ALL) {
            assertThat(help.out()).contains(setting.envVariable());
        }
    }

    @Test
    void versionNamesTheBuild() {
        Run version = run("--version");

        assertThat(version.exitCode()).isZero();
        assertThat(version.out()).startsWith("plugai ").doesNotContain("unknown");
    }

    @Test
    void settingsMarkdownIsTheCatalogueTable() {
        Run settings = run("settings", "--markdown");

        assertThat(settings.exitCode()).isZero();
        assertThat(settings.out()).isEqualTo(Settings.markdownTable());
    }

    @Test
    void anUnknownFlagIsAUsageError() {
        Run run = run("--no-such-flag");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--no-such-flag");
    }

    @Test
    void anInvalidSettingStopsTheStartWithExitCode2(@TempDir Path dataDir) {
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        ServerOptions options = new ServerOptions();
        options.data.dataDir = dataDir.toString();
        options.port = "not-a-port";

        int exitCode = new ServerLauncher(options, java.util.List.of(), System.out,
                new java.io.PrintStream(err, true)).run();

        assertThat(exitCode).isEqualTo(ServerLauncher.EXIT_CONFIG);
        assertThat(err.toString()).contains("server.port").contains("the command line").contains("not-a-port");
    }

    @Test
    void anInvalidProviderInTheConfigFileStopsTheStartWithExitCode2(@TempDir Path dataDir) throws Exception {
        java.nio.file.Files.writeString(dataDir.resolve("config.yaml"), """
                providers:
                  instances:
                    groq:
                      kind: openai-compatible
                      base-url: ftp://api.groq.com/openai/v1
                """);
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        ServerOptions options = new ServerOptions();
        options.data.dataDir = dataDir.toString();

        int exitCode = new ServerLauncher(options, java.util.List.of(), System.out,
                new java.io.PrintStream(err, true)).run();

        assertThat(exitCode).isEqualTo(ServerLauncher.EXIT_CONFIG);
        assertThat(err.toString()).contains("Provider 'groq' in the config file").contains("base-url must be");
    }
}
