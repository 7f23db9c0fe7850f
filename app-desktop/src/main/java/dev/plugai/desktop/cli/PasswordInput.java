package dev.plugai.desktop.cli;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/** Reads a new password: the first line of standard input, or typed twice at the terminal. */
final class PasswordInput {

    private PasswordInput() {
    }

    static char[] read(boolean fromStdin, InputStream stdin) {
        if (fromStdin) {
            try {
                String line = new BufferedReader(new InputStreamReader(stdin, StandardCharsets.UTF_8)).readLine();
                if (line == null || line.isEmpty()) {
                    throw new CliException("No password on standard input.");
                }
                return line.toCharArray();
            } catch (IOException e) {
                throw new CliException("Cannot read the password from standard input: " + e.getMessage());
            }
        }
        Console console = System.console();
        if (console == null) {
            throw new CliException("No terminal to ask for the password; pass it with --password-stdin.");
        }
        char[] first = console.readPassword("New password: ");
        char[] second = console.readPassword("Repeat it: ");
        if (first == null || second == null || !java.util.Arrays.equals(first, second)) {
            throw new CliException("The passwords differ.");
        }
        return first;
    }
}
