package dev.plugai.desktop.cli;

import dev.plugai.core.PlugAiCore;
import dev.plugai.core.identity.Caller;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;

class OfflineCommandsTest {

    private static final String PASSWORD = "correct horse battery";
    private final InputStream originalIn = System.in;

    @TempDir
    Path dataDir;

    private record Run(int exitCode, String out, String err) {
    }

    private Run run(String stdin, String... args) {
        System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = PlugAiCommand.commandLine();
        commandLine.setOut(new PrintWriter(out));
        commandLine.setErr(new PrintWriter(err));
        String[] withData = java.util.Arrays.copyOf(args, args.length + 2);
        withData[args.length] = "--data-dir";
        withData[args.length + 1] = dataDir.toString();
        return new Run(commandLine.execute(withData), out.toString(), err.toString());
    }

    @AfterEach
    void restoreStdin() {
        System.setIn(originalIn);
    }

    @Test
    void theFirstAdminIsCreatedOfflineAndListed() {
        Run add = run(PASSWORD + "\n", "users", "add", "--admin", "--username", "Ada", "--password-stdin");
        assertThat(add.exitCode()).as(add.err()).isZero();
        assertThat(add.out()).startsWith("Created admin ada");

        Run list = run("", "users", "list");
        assertThat(list.out()).containsPattern("ada\\s+admin\\s+active");
    }

    @Test
    void badPasswordsAndDuplicatesFailWithOneClearLine() {
        Run tooShort = run("short\n", "users", "add", "--username", "bob", "--password-stdin");
        assertThat(tooShort.exitCode()).isEqualTo(1);
        assertThat(tooShort.err().strip()).isEqualTo("plugai: The password must have at least 12 characters.");

        run(PASSWORD + "\n", "users", "add", "--username", "bob", "--password-stdin");
        Run duplicate = run(PASSWORD + "\n", "users", "add", "--username", "BOB", "--password-stdin");
        assertThat(duplicate.exitCode()).isEqualTo(1);
        assertThat(duplicate.err()).contains("taken").doesNotContain("Exception");

        Run noStdin = run("", "users", "add", "--username", "carl", "--password-stdin");
        assertThat(noStdin.exitCode()).isEqualTo(1);
        assertThat(noStdin.err()).contains("No password on standard input");
    }

    @Test
    void aTokenCreatedOfflineAuthenticatesAndPasswordsCanBeReset() throws Exception {
        run(PASSWORD + "\n", "users", "add", "--username", "ada", "--password-stdin");

        Run token = run("", "tokens", "create", "--user", "ada", "--name", "bootstrap", "--expires", "30d",
                "--scopes", "generate,account");
        assertThat(token.exitCode()).as(token.err()).isZero();
        String value = token.out().strip();
        assertThat(value).startsWith("plugai_");

        Run reset = run("another long password\n", "users", "reset-password", "--username", "ada", "--password-stdin");
        assertThat(reset.exitCode()).as(reset.err()).isZero();
        Run disable = run("", "users", "disable", "--username", "ada");
        assertThat(disable.exitCode()).isZero();
        Run enable = run("", "users", "enable", "--username", "ada");
        assertThat(enable.exitCode()).isZero();

        DataOptions options = new DataOptions();
        options.dataDir = dataDir.toString();
        try (PlugAiCore core = OfflineCore.open(options)) {
            Caller caller = core.identity().authenticateToken(value).orElseThrow();
            assertThat(caller.user().username()).isEqualTo("ada");
            assertThat(caller.scopes()).extracting(scope -> scope.wireName()).containsExactlyInAnyOrder("generate", "account");
            assertThat(core.identity().checkPassword("ada", "another long password".toCharArray()).username())
                    .isEqualTo("ada");
            assertThat(core.auditLog().newest(10, 0)).extracting(event -> event.action())
                    .contains("user.create", "token.create", "user.password-reset", "user.disable", "user.enable");
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dataDir.resolve("secrets/master.key"))))
                .isEqualTo("rw-------");
    }

    @Test
    void anAdminTokenNeedsAnAdminAndBadDurationsAreRefused() {
        run(PASSWORD + "\n", "users", "add", "--username", "ada", "--password-stdin");

        Run admin = run("", "tokens", "create", "--user", "ada", "--name", "x", "--scopes", "admin");
        assertThat(admin.exitCode()).isEqualTo(1);
        assertThat(admin.err()).contains("cannot create a token with scope admin");

        Run duration = run("", "tokens", "create", "--user", "ada", "--name", "x", "--expires", "forever");
        assertThat(duration.exitCode()).isEqualTo(2);
        assertThat(duration.err()).contains("--expires");
    }

    @Test
    void secretsRotateReencryptsStoredCredentials() {
        run(PASSWORD + "\n", "users", "add", "--username", "ada", "--password-stdin");
        DataOptions options = new DataOptions();
        options.dataDir = dataDir.toString();
        try (PlugAiCore core = OfflineCore.open(options)) {
            String userId = core.identity().users().findByUsername("ada").orElseThrow().id();
            core.credentials().put(dev.plugai.core.identity.credentials.CredentialOwner.user(userId), "openai",
                    new dev.plugai.core.identity.credentials.CredentialSecret.ApiKey("sk-rotate-me-1234567890"), false);
        }

        Run rotate = run("", "secrets", "rotate");
        assertThat(rotate.exitCode()).as(rotate.err()).isZero();
        assertThat(rotate.out()).contains("1 credentials re-encrypted");

        try (PlugAiCore core = OfflineCore.open(options)) {
            String userId = core.identity().users().findByUsername("ada").orElseThrow().id();
            assertThat(core.credentials().reveal(dev.plugai.core.identity.credentials.CredentialOwner.user(userId),
                    "openai")).get().asString().doesNotContain("sk-rotate-me-1234567890");
            assertThat(core.credentials().reveal(dev.plugai.core.identity.credentials.CredentialOwner.user(userId),
                    "openai")).get().isEqualTo(
                    new dev.plugai.core.identity.credentials.CredentialSecret.ApiKey("sk-rotate-me-1234567890"));
        }
    }
}
