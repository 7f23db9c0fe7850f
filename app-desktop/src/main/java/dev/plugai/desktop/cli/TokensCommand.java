package dev.plugai.desktop.cli;

import dev.plugai.core.PlugAiCore;
import dev.plugai.core.config.ConfigException;
import dev.plugai.core.identity.ApiTokens;
import dev.plugai.core.identity.Scope;
import dev.plugai.core.identity.User;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** {@code plugai tokens create}: an API token for scripting and bootstrap, printed once. */
@Command(name = "tokens",
        mixinStandardHelpOptions = true,
        versionProvider = PlugAiCommand.Version.class,
        description = "Manage API tokens offline.",
        subcommands = TokensCommand.Create.class)
public final class TokensCommand {

    /** {@code plugai tokens create}. */
    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Create an API token and print it (only this once) on standard output.")
    static final class Create implements java.util.concurrent.Callable<Integer> {
        @Option(names = "--user", required = true, description = "The username the token acts as.")
        String username;
        @Option(names = "--name", required = true, description = "A label, e.g. the script that uses it.")
        String name;
        @Option(names = "--expires", paramLabel = "DURATION", description = "Lifetime such as 30d or 12h (default: never).")
        String expires;
        @Option(names = "--scopes", split = ",", paramLabel = "SCOPE",
                description = "Comma-separated: models:read, generate, sessions, account, admin "
                        + "(default: models:read,generate,sessions).")
        List<String> scopes = List.of();
        @Option(names = "--models", split = ",", paramLabel = "MODEL", description = "Limit the token to these model ids.")
        List<String> models;
        @Mixin
        DataOptions data = new DataOptions();
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            Optional<Duration> lifetime = Optional.ofNullable(expires).map(Create::parseDuration);
            try (PlugAiCore core = OfflineCore.open(data)) {
                User user = UsersCommand.find(core, username);
                Set<Scope> granted = EnumSet.noneOf(Scope.class);
                scopes.forEach(scope -> granted.add(Scope.fromWire(scope.strip())));
                Clock clock = core.clock();
                ApiTokens.CreatedToken created = core.identity().tokens().create(user, name, granted,
                        Optional.ofNullable(models), lifetime.map(duration -> clock.instant().plus(duration)));
                core.auditLog().record("cli", "token.create", created.info().id(),
                        created.info().name() + " for " + user.username(), null);
                spec.commandLine().getOut().println(created.token());
                spec.commandLine().getOut().flush();
            }
            return 0;
        }

        private static Duration parseDuration(String text) {
            java.util.regex.Matcher matcher = java.util.regex.Pattern.compile("(\\d+)([hdw])").matcher(text.strip());
            if (!matcher.matches() || Long.parseLong(matcher.group(1)) == 0) {
                throw new ConfigException("--expires takes a duration such as 12h, 30d or 8w, not '" + text + "'.");
            }
            long amount = Long.parseLong(matcher.group(1));
            return switch (matcher.group(2)) {
                case "h" -> Duration.ofHours(amount);
                case "d" -> Duration.ofDays(amount);
                default -> Duration.ofDays(7 * amount);
            };
        }
    }
}
