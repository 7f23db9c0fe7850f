package dev.plugai.desktop;

import dev.plugai.desktop.cli.PlugAiCommand;
import picocli.CommandLine;

/** The {@code plugai} command's entry point. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        int exitCode = PlugAiCommand.commandLine().execute(args);
        // Exit explicitly: native libraries (llama.cpp) may leave non-daemon threads behind.
        System.exit(exitCode);
    }
}
