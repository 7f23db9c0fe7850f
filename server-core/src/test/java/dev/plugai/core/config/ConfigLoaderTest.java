package dev.plugai.core.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfigLoaderTest {

    @TempDir
    Path folder;

    private ConfigInputs inputs(Map<String, String> flags, Path configFile, Map<String, String> env) {
        return new ConfigInputs(flags, Optional.ofNullable(configFile), env, "Linux", folder.resolve("home"));
    }

    private Path configFile(String yaml) throws IOException {
        Path file = folder.resolve("plugai.yaml");
        Files.writeString(file, yaml);
        return file;
    }

    @Test
    void defaultsApplyWhenNothingIsGiven() {
        PlugAiConfig config = ConfigLoader.load(inputs(Map.of(), null, Map.of()));

        assertThat(config.server().host()).isEqualTo("127.0.0.1");
        assertThat(config.server().port()).isEqualTo(8480);
        assertThat(config.server().maxRequestBodyBytes()).isEqualTo(32L << 20);
        assertThat(config.server().shutdownGracePeriod()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.dataDir()).isEqualTo(folder.resolve("home/.local/share/plugai"));
        assertThat(config.logging().json()).isFalse();
        assertThat(config.auth().oidc()).isEmpty();
        assertThat(config.warnings()).isEmpty();
    }

    @Test
    void eachSourceOverridesTheOneBefore() throws IOException {
        Path file = configFile("""
                server:
                  host: 0.0.0.0
                  port: 9000
                  shutdown-grace-period: 5s
                log:
                  format: json
                """);
        Map<String, String> env = Map.of("PLUGAI_SERVER_PORT", "9100", "PLUGAI_SERVER_SHUTDOWN_GRACE_PERIOD", "7s");
        Map<String, String> flags = Map.of("server.port", "9200");

        PlugAiConfig config = ConfigLoader.load(inputs(flags, file, env));

        assertThat(config.server().host()).as("file over default").isEqualTo("0.0.0.0");
        assertThat(config.logging().json()).as("file over default").isTrue();
        assertThat(config.server().shutdownGracePeriod()).as("env over file").isEqualTo(Duration.ofSeconds(7));
        assertThat(config.server().port()).as("flag over env over file").isEqualTo(9200);
        assertThat(config.server().maxConcurrentRequests()).as("default kept").isEqualTo(256);
        assertThat(config.configFile()).contains(file.toAbsolutePath().normalize());
    }

    @Test
    void unknownKeysInTheFileAreReportedNotSilentlyIgnored() throws IOException {
        Path file = configFile("""
                server:
                  prot: 9000
                telemetry: on
                """);

        PlugAiConfig config = ConfigLoader.load(inputs(Map.of(), file, Map.of()));

        assertThat(config.warnings()).hasSize(2);
        assertThat(config.warnings().get(0)).contains("'server.prot'").contains(file.toString());
        assertThat(config.warnings().get(1)).contains("'telemetry'");
        assertThat(config.server().port()).isEqualTo(8480);
    }

    @Test
    void unknownPlugAiEnvironmentVariablesAreReported() {
        PlugAiConfig config = ConfigLoader.load(inputs(Map.of(), null,
                Map.of("PLUGAI_SERVER_PROT", "1", "PATH", "/usr/bin")));

        assertThat(config.warnings()).singleElement().asString().contains("PLUGAI_SERVER_PROT");
    }

    @Test
    void anUnknownFlagIsAnError() {
        assertThatThrownBy(() -> ConfigLoader.load(inputs(Map.of("server.prot", "1"), null, Map.of())))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("server.prot");
    }

    @Test
    void anInvalidValueNamesTheSettingAndWhereItCameFrom() throws IOException {
        assertThatThrownBy(() -> ConfigLoader.load(inputs(Map.of(), null, Map.of("PLUGAI_SERVER_PORT", "eighty"))))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("server.port")
                .hasMessageContaining("PLUGAI_SERVER_PORT")
                .hasMessageContaining("'eighty' is not a whole number");

        Path file = configFile("server:\n  max-request-body: lots\n");
        assertThatThrownBy(() -> ConfigLoader.load(inputs(Map.of(), file, Map.of())))
                .hasMessageContaining("server.max-request-body")
                .hasMessageContaining("config file");

        assertThatThrownBy(() -> ConfigLoader.load(inputs(Map.of("server.port", "70000"), null, Map.of())))
                .hasMessageContaining("70000 is outside 0..65535");
    }

    @Test
    void malformedYamlIsAClearError() throws IOException {
        Path file = configFile("server:\n  port: [1, 2\n");

        assertThatThrownBy(() -> ConfigLoader.load(inputs(Map.of(), file, Map.of())))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("not valid YAML");
    }

    @Test
    void aMissingExplicitConfigFileIsAnError() {
        assertThatThrownBy(() -> ConfigLoader.load(inputs(Map.of(), folder.resolve("nope.yaml"), Map.of())))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("--config");
    }

    @Test
    void configYamlInTheDataFolderIsReadWhenNoFileIsNamed() throws IOException {
        Path dataDir = folder.resolve("data");
        Files.createDirectories(dataDir);
        Files.writeString(dataDir.resolve("config.yaml"), "server:\n  port: 1234\n");

        PlugAiConfig config = ConfigLoader.load(inputs(Map.of(), null, Map.of("PLUGAI_DATA_DIR", dataDir.toString())));

        assertThat(config.server().port()).isEqualTo(1234);
        assertThat(config.dataDir()).isEqualTo(dataDir);
    }

    @Test
    void sizesAndDurationsAcceptHumanUnits() {
        PlugAiConfig config = ConfigLoader.load(inputs(Map.of(
                "server.max-request-body", "512KiB",
                "server.idle-connection-timeout", "PT2M",
                "database.busy-timeout", "1500ms"), null, Map.of()));

        assertThat(config.server().maxRequestBodyBytes()).isEqualTo(512 * 1024);
        assertThat(config.server().idleConnectionTimeout()).isEqualTo(Duration.ofMinutes(2));
        assertThat(config.database().busyTimeout()).isEqualTo(Duration.ofMillis(1500));
    }

    @Test
    void theDefaultDataFolderFollowsThePlatform() {
        Path home = Path.of("/home/ada");
        assertThat(ConfigLoader.defaultDataDir(new ConfigInputs(Map.of(), Optional.empty(), Map.of(), "Linux", home)))
                .isEqualTo(Path.of("/home/ada/.local/share/plugai"));
        assertThat(ConfigLoader.defaultDataDir(new ConfigInputs(Map.of(), Optional.empty(),
                Map.of("XDG_DATA_HOME", "/data/xdg"), "Linux", home)))
                .isEqualTo(Path.of("/data/xdg/plugai"));
        assertThat(ConfigLoader.defaultDataDir(new ConfigInputs(Map.of(), Optional.empty(), Map.of(), "Mac OS X", home)))
                .isEqualTo(Path.of("/home/ada/Library/Application Support/PlugAI"));
    }

    @Test
    void anOidcIssuerComesWithItsKeysUrlAudienceAndClaim() {
        PlugAiConfig config = ConfigLoader.load(inputs(Map.of(
                "auth.oidc.issuer", "https://id.example.com/realms/main",
                "auth.oidc.jwks-url", "https://id.example.com/realms/main/certs",
                "auth.oidc.audience", "plugai",
                "auth.oidc.jwks-refresh", "30m"), null, Map.of()));

        PlugAiConfig.OidcSettings oidc = config.auth().oidc().orElseThrow();
        assertThat(oidc.issuer()).isEqualTo("https://id.example.com/realms/main");
        assertThat(oidc.jwksUrl()).hasToString("https://id.example.com/realms/main/certs");
        assertThat(oidc.audience()).contains("plugai");
        assertThat(oidc.usernameClaim()).isEqualTo("preferred_username");
        assertThat(oidc.jwksRefresh()).isEqualTo(Duration.ofMinutes(30));
    }

    @Test
    void anOidcIssuerNeedsAnHttpsKeysUrlExceptOnLoopback() {
        assertThatThrownBy(() -> ConfigLoader.load(inputs(Map.of("auth.oidc.issuer", "https://id.example.com"),
                null, Map.of())))
                .isInstanceOf(ConfigException.class).hasMessageContaining("auth.oidc.jwks-url").hasMessageContaining("required");
        assertThatThrownBy(() -> ConfigLoader.load(inputs(Map.of("auth.oidc.issuer", "https://id.example.com",
                "auth.oidc.jwks-url", "http://id.example.com/certs"), null, Map.of())))
                .isInstanceOf(ConfigException.class).hasMessageContaining("https");

        PlugAiConfig config = ConfigLoader.load(inputs(Map.of("auth.oidc.issuer", "http://127.0.0.1:9000",
                "auth.oidc.jwks-url", "http://127.0.0.1:9000/certs"), null, Map.of()));
        assertThat(config.auth().oidc()).isPresent();
    }

    @Test
    void aKeysUrlWithoutAnIssuerIsReportedBecauseItTurnsNothingOn() {
        PlugAiConfig config = ConfigLoader.load(inputs(Map.of("auth.oidc.jwks-url", "https://id.example.com/certs"),
                null, Map.of()));

        assertThat(config.auth().oidc()).isEmpty();
        assertThat(config.warnings()).singleElement().asString().contains("auth.oidc.issuer");
    }

    @Test
    void providerInstancesAreReadFromTheFileBesideTheProviderSettings() throws IOException {
        Path file = configFile("""
                providers:
                  retries: 1
                  instances:
                    openai:
                      kind: openai
                    groq:
                      kind: openai-compatible
                      base-url: https://api.groq.com/openai/v1
                      headers:
                        X-Title: PlugAI
                      models: [llama-3.1-8b-instant, gemma2-9b-it]
                """);

        PlugAiConfig config = ConfigLoader.load(inputs(Map.of(), file, Map.of()));

        assertThat(config.warnings()).isEmpty();
        assertThat(config.providers().retries()).isEqualTo(1);
        assertThat(config.providers().instances()).containsExactly(
                new PlugAiConfig.ProviderDefinition("openai", "openai", Optional.empty(), Map.of(), Optional.empty()),
                new PlugAiConfig.ProviderDefinition("groq", "openai-compatible",
                        Optional.of(java.net.URI.create("https://api.groq.com/openai/v1")), Map.of("X-Title", "PlugAI"),
                        Optional.of(java.util.List.of("llama-3.1-8b-instant", "gemma2-9b-it"))));
    }

    @Test
    void aMisshapenProviderInstanceFailsNamingTheKey() throws IOException {
        Path misspelt = configFile("""
                providers:
                  instances:
                    groq:
                      kind: openai-compatible
                      base_url: https://api.groq.com/openai/v1
                """);
        assertThatThrownBy(() -> ConfigLoader.load(inputs(Map.of(), misspelt, Map.of())))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("'providers.instances.groq.base_url'")
                .hasMessageContaining("base-url");

        Path noKind = configFile("""
                providers:
                  instances:
                    groq:
                      models: [a]
                """);
        assertThatThrownBy(() -> ConfigLoader.load(inputs(Map.of(), noKind, Map.of())))
                .isInstanceOf(ConfigException.class).hasMessageContaining("'providers.instances.groq.kind'");

        Path modelsNotAList = configFile("""
                providers:
                  instances:
                    groq:
                      kind: openai-compatible
                      models: llama
                """);
        assertThatThrownBy(() -> ConfigLoader.load(inputs(Map.of(), modelsNotAList, Map.of())))
                .isInstanceOf(ConfigException.class).hasMessageContaining("'providers.instances.groq.models'");
    }
}
