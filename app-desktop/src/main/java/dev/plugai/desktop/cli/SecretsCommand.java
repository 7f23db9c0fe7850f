package dev.plugai.desktop.cli;

import dev.plugai.core.PlugAiCore;
import dev.plugai.core.identity.credentials.KeyRotation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code plugai secrets rotate}: a new master key, every stored credential re-encrypted under it. */
@Command(name = "secrets",
        mixinStandardHelpOptions = true,
        versionProvider = PlugAiCommand.Version.class,
        description = "Manage the master key that encrypts stored provider credentials.",
        subcommands = SecretsCommand.Rotate.class)
public final class SecretsCommand {

    /** {@code plugai secrets rotate}. */
    @Command(name = "rotate", mixinStandardHelpOptions = true,
            description = "Make a new master key and re-encrypt every stored credential in one transaction. "
                    + "Stop the server first (or restart it afterwards): it caches the key.")
    static final class Rotate implements java.util.concurrent.Callable<Integer> {
        @Mixin
        DataOptions data = new DataOptions();
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            try (PlugAiCore core = OfflineCore.open(data)) {
                KeyRotation rotation = core.credentials().rotate();
                core.auditLog().record("cli", "secrets.rotate", rotation.currentKeyId(),
                        rotation.reencrypted() + " credentials re-encrypted", null);
                spec.commandLine().getOut().printf("Master key rotated: %s -> %s; %d credentials re-encrypted.%n",
                        rotation.previousKeyId(), rotation.currentKeyId(), rotation.reencrypted());
            }
            return 0;
        }
    }
}
