package dev.plugai.desktop.cli;

import dev.plugai.core.PlugAiCore;
import dev.plugai.core.errors.PlugAiException;
import dev.plugai.core.identity.Role;
import dev.plugai.core.identity.User;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.util.Arrays;
import java.util.Optional;

/** {@code plugai users ...}: offline account administration; works with the server stopped or running. */
@Command(name = "users",
        mixinStandardHelpOptions = true,
        versionProvider = PlugAiCommand.Version.class,
        description = "Manage user accounts offline (with the server stopped or running).",
        subcommands = {UsersCommand.Add.class, UsersCommand.ListUsers.class, UsersCommand.ResetPassword.class,
                UsersCommand.Disable.class, UsersCommand.Enable.class})
public final class UsersCommand {

    /** {@code plugai users add}. */
    @Command(name = "add", mixinStandardHelpOptions = true, description = "Create an account (the first admin, say).")
    static final class Add implements java.util.concurrent.Callable<Integer> {
        @Option(names = "--username", required = true, description = "Login name: 3-64 of a-z 0-9 . _ -")
        String username;
        @Option(names = "--admin", description = "Make the account an admin.")
        boolean admin;
        @Option(names = "--display-name", description = "Name shown in the UI (default: the username).")
        String displayName;
        @Option(names = "--password-stdin", description = "Read the password from the first line of standard input.")
        boolean passwordStdin;
        @Mixin
        DataOptions data = new DataOptions();
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            char[] password = PasswordInput.read(passwordStdin, System.in);
            try (PlugAiCore core = OfflineCore.open(data)) {
                User user = core.identity().users().create(username, password, admin ? Role.ADMIN : Role.USER,
                        displayName);
                core.auditLog().record("cli", "user.create", user.id(), "role " + user.role().wireName(), null);
                spec.commandLine().getOut().printf("Created %s %s (id %s).%n", user.role().wireName(), user.username(),
                        user.id());
            } finally {
                Arrays.fill(password, '\0');
            }
            return 0;
        }
    }

    /** {@code plugai users list}. */
    @Command(name = "list", mixinStandardHelpOptions = true, description = "List every account.")
    static final class ListUsers implements java.util.concurrent.Callable<Integer> {
        @Mixin
        DataOptions data = new DataOptions();
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            try (PlugAiCore core = OfflineCore.open(data)) {
                PrintWriter out = spec.commandLine().getOut();
                out.printf("%-24s %-6s %-9s %-22s %s%n", "USERNAME", "ROLE", "STATUS", "ID", "CREATED");
                for (User user : core.identity().users().list()) {
                    out.printf("%-24s %-6s %-9s %-22s %s%n", user.username(), user.role().wireName(),
                            user.disabled() ? "disabled" : "active", user.id(), user.createdAt());
                }
                out.flush();
            }
            return 0;
        }
    }

    /** {@code plugai users reset-password}. */
    @Command(name = "reset-password", mixinStandardHelpOptions = true,
            description = "Set a new password; every session of the account ends.")
    static final class ResetPassword implements java.util.concurrent.Callable<Integer> {
        @Option(names = "--username", required = true)
        String username;
        @Option(names = "--password-stdin", description = "Read the password from the first line of standard input.")
        boolean passwordStdin;
        @Mixin
        DataOptions data = new DataOptions();
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            char[] password = PasswordInput.read(passwordStdin, System.in);
            try (PlugAiCore core = OfflineCore.open(data)) {
                User user = find(core, username);
                core.identity().users().setPassword(user.id(), password);
                core.auditLog().record("cli", "user.password-reset", user.id(), user.username(), null);
                spec.commandLine().getOut().printf("New password set for %s; their sessions ended.%n", user.username());
            } finally {
                Arrays.fill(password, '\0');
            }
            return 0;
        }
    }

    /** Sets whether an account is disabled; the two commands below differ only in the value. */
    abstract static class StatusChange implements java.util.concurrent.Callable<Integer> {
        @Option(names = "--username", required = true)
        String username;
        @Mixin
        DataOptions data = new DataOptions();
        @Spec
        CommandSpec spec;

        abstract boolean disabled();

        @Override
        public Integer call() {
            try (PlugAiCore core = OfflineCore.open(data)) {
                User user = find(core, username);
                core.identity().users().update(user.id(), Optional.empty(), Optional.of(disabled()));
                core.auditLog().record("cli", disabled() ? "user.disable" : "user.enable", user.id(), user.username(),
                        null);
                spec.commandLine().getOut().printf("%s is %s.%n", user.username(), disabled() ? "disabled" : "enabled");
            }
            return 0;
        }
    }

    /** {@code plugai users disable}. */
    @Command(name = "disable", mixinStandardHelpOptions = true,
            description = "Disable an account: it cannot log in, its sessions and tokens stop working at once.")
    static final class Disable extends StatusChange {
        @Override
        boolean disabled() {
            return true;
        }
    }

    /** {@code plugai users enable}. */
    @Command(name = "enable", mixinStandardHelpOptions = true, description = "Enable a disabled account again.")
    static final class Enable extends StatusChange {
        @Override
        boolean disabled() {
            return false;
        }
    }

    static User find(PlugAiCore core, String username) {
        return core.identity().users().findByUsername(username)
                .orElseThrow(() -> new PlugAiException.NotFound("No user named " + username + "."));
    }
}
