package dev.plugai.core.config;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Resolves the configuration from its sources, each overriding the one before: built-in defaults,
 * the YAML config file, {@code PLUGAI_*} environment variables, command-line flags.
 *
 * <p>The config file is the one named by {@code --config}, else by {@code PLUGAI_CONFIG}, else
 * {@code config.yaml} in the data folder when it exists. Unknown keys in the file and unknown
 * {@code PLUGAI_*} variables are reported as warnings; invalid values fail with a
 * {@link ConfigException} naming the setting and where its value came from.
 *
 * <p>Stateless and thread-safe.
 */
public final class ConfigLoader {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final List<String> PROVIDER_KEYS = List.of("kind", "base-url", "headers", "models");
    private static final Set<String> OTHER_KNOWN_ENV = Set.of(Settings.CONFIG_FILE_ENV, "PLUGAI_JAVA_OPTS",
            "PLUGAI_JAVA_HOME");

    private ConfigLoader() {
    }

    /** Resolves and validates the configuration. */
    public static PlugAiConfig load(ConfigInputs inputs) {
        List<String> warnings = new ArrayList<>();
        Map<String, RawValue> raw = new LinkedHashMap<>();
        Map<String, Setting<?>> byKey = Settings.ALL.stream()
                .collect(Collectors.toMap(Setting::key, setting -> setting, (a, b) -> a, LinkedHashMap::new));

        for (Setting<?> setting : Settings.ALL) {
            if (setting.defaultValue() != null) {
                raw.put(setting.key(), new RawValue(setting.defaultValue(), "the default"));
            }
        }
        Optional<Path> configFile = chooseConfigFile(inputs, byKey);
        List<PlugAiConfig.ProviderDefinition> providerInstances = configFile
                .map(file -> readFile(file, byKey, raw, warnings)).orElse(List.of());

        Map<String, String> envByName = byKey.values().stream()
                .collect(Collectors.toMap(Setting::envVariable, Setting::key));
        inputs.env().forEach((name, value) -> {
            if (envByName.containsKey(name)) {
                raw.put(envByName.get(name), new RawValue(value, "environment variable " + name));
            } else if (name.startsWith("PLUGAI_") && !OTHER_KNOWN_ENV.contains(name)) {
                warnings.add("Unknown environment variable " + name + " is ignored (see plugai --help for settings).");
            }
        });
        inputs.flags().forEach((key, value) -> {
            if (!byKey.containsKey(key)) {
                throw new ConfigException("Unknown setting '" + key + "' on the command line (see plugai --help).");
            }
            raw.put(key, new RawValue(value, "the command line"));
        });

        Resolved resolved = new Resolved(raw);
        Path dataDir = raw.containsKey(Settings.DATA_DIR.key())
                ? resolved.get(Settings.DATA_DIR)
                : defaultDataDir(inputs);
        return new PlugAiConfig(
                new PlugAiConfig.ServerSettings(
                        resolved.get(Settings.SERVER_HOST),
                        resolved.get(Settings.SERVER_PORT),
                        resolved.get(Settings.SERVER_MAX_REQUEST_BODY),
                        resolved.get(Settings.SERVER_MAX_CONCURRENT_REQUESTS),
                        resolved.get(Settings.SERVER_MAX_CONNECTIONS),
                        resolved.get(Settings.SERVER_IDLE_CONNECTION_TIMEOUT),
                        resolved.get(Settings.SERVER_SHUTDOWN_GRACE_PERIOD)),
                dataDir,
                new PlugAiConfig.DatabaseSettings(resolved.get(Settings.DATABASE_BUSY_TIMEOUT)),
                new PlugAiConfig.AuthSettings(
                        resolved.get(Settings.AUTH_SESSION_IDLE_TIMEOUT),
                        resolved.get(Settings.AUTH_SESSION_MAX_AGE),
                        resolved.get(Settings.AUTH_SECURE_COOKIES),
                        resolved.get(Settings.AUTH_LOGIN_FREE_FAILURES),
                        resolved.get(Settings.AUTH_LOGIN_MAX_DELAY),
                        resolved.get(Settings.AUTH_PASSWORD_HASH_CONCURRENCY),
                        resolved.get(Settings.AUTH_INVITE_VALIDITY),
                        oidc(resolved, warnings)),
                new PlugAiConfig.ModelSettings(resolved.get(Settings.MODELS_EXTRA_DIRS),
                        resolved.get(Settings.MODELS_RESCAN_INTERVAL),
                        Optional.of(resolved.get(Settings.MODELS_DEFAULT)).filter(value -> !value.isBlank()),
                        resolved.get(Settings.MODELS_MEMORY_BUDGET), resolved.get(Settings.MODELS_KEEP_ALIVE),
                        resolved.get(Settings.SCHEDULER_QUEUE_SIZE), resolved.get(Settings.SCHEDULER_SLOTS)),
                new PlugAiConfig.ProviderSettings(resolved.get(Settings.PROVIDERS_RETRIES),
                        resolved.get(Settings.PROVIDERS_RETRY_BACKOFF), resolved.get(Settings.PROVIDERS_READ_TIMEOUT),
                        resolved.get(Settings.PROVIDERS_COOLDOWN), providerInstances),
                new PlugAiConfig.AttachmentSettings(resolved.get(Settings.ATTACHMENTS_MAX_BYTES),
                        resolved.get(Settings.ATTACHMENTS_FETCH_TIMEOUT),
                        resolved.get(Settings.ATTACHMENTS_ALLOW_PRIVATE_NETWORKS)),
                new PlugAiConfig.LoggingSettings(
                        resolved.get(Settings.LOG_LEVEL),
                        resolved.get(Settings.LOG_FORMAT).equals("json"),
                        resolved.get(Settings.LOG_FILE)),
                configFile,
                warnings);
    }

    /** The OIDC issuer settings when an issuer is set; they are checked together because they only make sense so. */
    private static Optional<PlugAiConfig.OidcSettings> oidc(Resolved resolved, List<String> warnings) {
        String issuer = resolved.get(Settings.AUTH_OIDC_ISSUER);
        String jwksUrl = resolved.get(Settings.AUTH_OIDC_JWKS_URL);
        if (issuer.isEmpty()) {
            if (!jwksUrl.isEmpty()) {
                warnings.add("'" + Settings.AUTH_OIDC_JWKS_URL.key() + "' is set but '" + Settings.AUTH_OIDC_ISSUER.key()
                        + "' is empty, so JWTs from an external issuer stay refused.");
            }
            return Optional.empty();
        }
        Duration refresh = resolved.get(Settings.AUTH_OIDC_JWKS_REFRESH);
        if (refresh.compareTo(Duration.ofMinutes(1)) < 0) {
            throw new ConfigException("Setting '" + Settings.AUTH_OIDC_JWKS_REFRESH.key()
                    + "' must be at least 1m: keys are fetched at most once a minute.");
        }
        String audience = resolved.get(Settings.AUTH_OIDC_AUDIENCE);
        return Optional.of(new PlugAiConfig.OidcSettings(issuer, jwksUri(jwksUrl),
                audience.isEmpty() ? Optional.empty() : Optional.of(audience),
                resolved.get(Settings.AUTH_OIDC_USERNAME_CLAIM), refresh));
    }

    /** The JWKS URL, which decides whose keys we trust: so https, except on loopback where nothing can intercept. */
    private static URI jwksUri(String text) {
        String key = Settings.AUTH_OIDC_JWKS_URL.key();
        if (text.isEmpty()) {
            throw new ConfigException("Setting '" + key + "' is required when '" + Settings.AUTH_OIDC_ISSUER.key()
                    + "' is set.");
        }
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw new ConfigException("Setting '" + key + "': '" + text + "' is not a URL.");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
        if (host.isEmpty() || !(scheme.equals("https") || scheme.equals("http") && isLoopback(host))) {
            throw new ConfigException("Setting '" + key + "' must be an https URL (http only on localhost): '"
                    + text + "'.");
        }
        return uri;
    }

    private static boolean isLoopback(String host) {
        return host.equals("localhost") || host.equals("[::1]") || host.matches("127(\\.\\d{1,3}){3}");
    }

    /** The platform's usual per-user data folder for PlugAI. */
    static Path defaultDataDir(ConfigInputs inputs) {
        String os = inputs.osName().toLowerCase(Locale.ROOT);
        Path home = inputs.userHome();
        if (os.contains("win")) {
            String localAppData = inputs.env().get("LOCALAPPDATA");
            return (localAppData != null && !localAppData.isBlank()
                    ? Path.of(localAppData) : home.resolve("AppData").resolve("Local")).resolve("PlugAI");
        }
        if (os.contains("mac")) {
            return home.resolve("Library").resolve("Application Support").resolve("PlugAI");
        }
        String xdg = inputs.env().get("XDG_DATA_HOME");
        Path base = xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()
                ? Path.of(xdg) : home.resolve(".local").resolve("share");
        return base.resolve("plugai");
    }

    private static Optional<Path> chooseConfigFile(ConfigInputs inputs, Map<String, Setting<?>> byKey) {
        if (inputs.configFile().isPresent()) {
            return Optional.of(requireReadable(inputs.configFile().get(), "--config"));
        }
        String fromEnv = inputs.env().get(Settings.CONFIG_FILE_ENV);
        if (fromEnv != null && !fromEnv.isBlank()) {
            return Optional.of(requireReadable(Path.of(fromEnv), Settings.CONFIG_FILE_ENV));
        }
        // Only the data folder known before the file is read can hold the default file.
        String dataDirFlag = inputs.flags().get(Settings.DATA_DIR.key());
        String dataDirEnv = inputs.env().get(Settings.DATA_DIR.envVariable());
        Path dataDir = dataDirFlag != null ? Settings.DATA_DIR.parse(dataDirFlag)
                : dataDirEnv != null ? Settings.DATA_DIR.parse(dataDirEnv)
                : defaultDataDir(inputs);
        Path candidate = dataDir.resolve("config.yaml");
        return Files.isRegularFile(candidate) ? Optional.of(candidate) : Optional.empty();
    }

    private static Path requireReadable(Path file, String source) {
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new ConfigException("The config file named by " + source + " cannot be read: " + file);
        }
        return file.toAbsolutePath().normalize();
    }

    /** Reads the file's settings into {@code raw}; returns the provider instances it defines. */
    private static List<PlugAiConfig.ProviderDefinition> readFile(Path file, Map<String, Setting<?>> byKey,
                                                                  Map<String, RawValue> raw, List<String> warnings) {
        JsonNode root;
        try {
            root = YAML.readTree(file.toFile());
        } catch (JacksonException e) {
            throw new ConfigException("The config file " + file + " is not valid YAML: "
                    + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new ConfigException("The config file " + file + " cannot be read: " + e.getMessage(), e);
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            return List.of();
        }
        if (!root.isObject()) {
            throw new ConfigException("The config file " + file + " must hold a mapping of settings.");
        }
        List<PlugAiConfig.ProviderDefinition> instances = root.path("providers").isObject()
                ? providerInstances(((ObjectNode) root.get("providers")).remove("instances"), file)
                : List.of();
        Map<String, String> flat = new LinkedHashMap<>();
        flatten("", root, flat, file);
        flat.forEach((key, value) -> {
            if (byKey.containsKey(key)) {
                raw.put(key, new RawValue(value, "config file " + file));
            } else {
                warnings.add("Unknown key '" + key + "' in config file " + file + " is ignored.");
            }
        });
        return instances;
    }

    /**
     * The {@code providers.instances} mapping: provider id to {@code kind}, {@code base-url}, {@code headers}
     * and {@code models}. Its shape is checked strictly (a misspelt key would otherwise send requests
     * somewhere the operator did not mean); ids, kinds and URLs are checked when the server applies them.
     */
    private static List<PlugAiConfig.ProviderDefinition> providerInstances(JsonNode node, Path file) {
        if (node == null || node.isNull()) {
            return List.of();
        }
        String where = "in config file " + file;
        if (!node.isObject()) {
            throw new ConfigException("'providers.instances' " + where + " must map provider ids to their settings.");
        }
        List<PlugAiConfig.ProviderDefinition> definitions = new ArrayList<>();
        for (Map.Entry<String, JsonNode> entry : node.properties()) {
            String id = entry.getKey();
            String key = "providers.instances." + id;
            JsonNode body = entry.getValue();
            if (!body.isObject()) {
                throw new ConfigException("'" + key + "' " + where + " must be a mapping with at least 'kind'.");
            }
            for (Map.Entry<String, JsonNode> field : body.properties()) {
                if (!PROVIDER_KEYS.contains(field.getKey())) {
                    throw new ConfigException("Unknown key '" + key + "." + field.getKey() + "' " + where
                            + "; a provider takes " + String.join(", ", PROVIDER_KEYS) + ".");
                }
            }
            JsonNode kind = body.get("kind");
            if (kind == null || !kind.isTextual() || kind.asText().isBlank()) {
                throw new ConfigException("'" + key + ".kind' " + where + " is required, e.g. openai-compatible.");
            }
            Optional<URI> baseUrl = Optional.ofNullable(body.get("base-url")).filter(value -> !value.isNull())
                    .map(value -> providerUrl(value, key + ".base-url", where));
            Map<String, String> headers = new LinkedHashMap<>();
            JsonNode headerNode = body.path("headers");
            if (!headerNode.isMissingNode() && !headerNode.isNull()) {
                if (!headerNode.isObject()) {
                    throw new ConfigException("'" + key + ".headers' " + where + " must map header names to values.");
                }
                headerNode.properties().forEach(header -> {
                    if (!header.getValue().isValueNode() || header.getValue().isNull()) {
                        throw new ConfigException("'" + key + ".headers." + header.getKey() + "' " + where
                                + " must be a single value.");
                    }
                    headers.put(header.getKey(), header.getValue().asText());
                });
            }
            Optional<List<String>> models = Optional.empty();
            JsonNode modelNode = body.path("models");
            if (!modelNode.isMissingNode() && !modelNode.isNull()) {
                if (!modelNode.isArray() || !modelNode.valueStream().allMatch(JsonNode::isTextual)) {
                    throw new ConfigException("'" + key + ".models' " + where + " must be a list of model ids.");
                }
                models = Optional.of(modelNode.valueStream().map(JsonNode::asText).toList());
            }
            definitions.add(new PlugAiConfig.ProviderDefinition(id, kind.asText(), baseUrl, headers, models));
        }
        return definitions;
    }

    private static URI providerUrl(JsonNode value, String key, String where) {
        try {
            return new URI(value.asText());
        } catch (URISyntaxException e) {
            throw new ConfigException("'" + key + "' " + where + ": '" + value.asText() + "' is not a URL.");
        }
    }

    private static void flatten(String prefix, JsonNode node, Map<String, String> flat, Path file) {
        Iterator<Map.Entry<String, JsonNode>> fields = node.properties().iterator();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            String key = prefix.isEmpty() ? field.getKey() : prefix + "." + field.getKey();
            JsonNode value = field.getValue();
            if (value.isObject()) {
                flatten(key, value, flat, file);
            } else if (value.isArray()) {
                throw new ConfigException("'" + key + "' in config file " + file + " must be a single value, not a list.");
            } else if (!value.isNull()) {
                flat.put(key, value.asText());
            }
        }
    }

    private record RawValue(String text, String source) {
    }

    private record Resolved(Map<String, RawValue> raw) {

        <T> T get(Setting<T> setting) {
            RawValue value = raw.get(setting.key());
            if (value == null) {
                throw new ConfigException("Setting '" + setting.key() + "' has no value.");
            }
            try {
                return setting.parse(value.text());
            } catch (IllegalArgumentException e) {
                throw new ConfigException("Setting '" + setting.key() + "' from " + value.source() + ": "
                        + e.getMessage() + " (expected " + setting.valueType() + ").");
            }
        }
    }
}
