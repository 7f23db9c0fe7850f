package dev.plugai.core.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The catalogue of every setting PlugAI reads. {@code plugai --help}, {@code docs/configuration.md}
 * and the defaults all come from this one list; a setting that is not here does not exist.
 */
public final class Settings {

    public static final Setting<String> SERVER_HOST = new Setting<>("server.host", "127.0.0.1",
            "Address the API server binds to. Use 0.0.0.0 to serve the LAN or a cloud VM's public interface.",
            ValueParser.text());
    public static final Setting<Integer> SERVER_PORT = new Setting<>("server.port", "8480",
            "TCP port of the API server; 0 picks any free port (the chosen port is printed).",
            ValueParser.integer(0, 65535));
    public static final Setting<Long> SERVER_MAX_REQUEST_BODY = new Setting<>("server.max-request-body", "32MiB",
            "Largest request body accepted; larger bodies are refused with 413 before they are read.",
            ValueParser.byteSize(1024));
    public static final Setting<Integer> SERVER_MAX_CONCURRENT_REQUESTS = new Setting<>(
            "server.max-concurrent-requests", "256",
            "Requests processed at once; more are refused with 503 instead of piling up.",
            ValueParser.integer(1, 100_000));
    public static final Setting<Integer> SERVER_MAX_CONNECTIONS = new Setting<>("server.max-connections", "1024",
            "Open TCP connections accepted at once.",
            ValueParser.integer(1, 1_000_000));
    public static final Setting<Duration> SERVER_IDLE_CONNECTION_TIMEOUT = new Setting<>(
            "server.idle-connection-timeout", "5m",
            "A keep-alive connection with no traffic for this long is closed.",
            ValueParser.duration());
    public static final Setting<Duration> SERVER_SHUTDOWN_GRACE_PERIOD = new Setting<>(
            "server.shutdown-grace-period", "30s",
            "On Ctrl-C or SIGTERM: how long requests in flight may take to finish before the server stops.",
            ValueParser.duration());
    public static final Setting<Path> DATA_DIR = new Setting<>("data.dir", null,
            "Folder for the database, models, artifacts, downloads, logs and secrets. Default: "
                    + "$XDG_DATA_HOME/plugai or ~/.local/share/plugai on Linux, "
                    + "~/Library/Application Support/PlugAI on macOS, %LOCALAPPDATA%\\PlugAI on Windows.",
            ValueParser.path());
    public static final Setting<Duration> DATABASE_BUSY_TIMEOUT = new Setting<>("database.busy-timeout", "10s",
            "How long a database write waits for another writer before it fails.",
            ValueParser.duration());
    public static final Setting<Duration> AUTH_SESSION_IDLE_TIMEOUT = new Setting<>("auth.session-idle-timeout", "7d",
            "A browser session unused for this long ends; the user logs in again.",
            ValueParser.duration());
    public static final Setting<Duration> AUTH_SESSION_MAX_AGE = new Setting<>("auth.session-max-age", "30d",
            "A browser session ends this long after login, however active.",
            ValueParser.duration());
    public static final Setting<String> AUTH_SECURE_COOKIES = new Setting<>("auth.secure-cookies", "auto",
            "Mark the session cookie Secure (with the __Host- prefix): auto = when the request came over TLS; "
                    + "set always behind a TLS-terminating reverse proxy.",
            ValueParser.oneOf("auto", "always", "never"));
    public static final Setting<Integer> AUTH_LOGIN_FREE_FAILURES = new Setting<>("auth.login-free-failures", "5",
            "Failed logins allowed per account name before each further attempt must wait (1 s, doubling).",
            ValueParser.integer(1, 1000));
    public static final Setting<Duration> AUTH_LOGIN_MAX_DELAY = new Setting<>("auth.login-max-delay", "15m",
            "The longest wait imposed between login attempts on one account name.",
            ValueParser.duration());
    public static final Setting<Integer> AUTH_PASSWORD_HASH_CONCURRENCY = new Setting<>(
            "auth.password-hash-concurrency", "2",
            "Password hashes (Argon2id, 19 MiB each) computed at once; more logins wait their turn.",
            ValueParser.integer(1, 256));
    public static final Setting<Duration> AUTH_INVITE_VALIDITY = new Setting<>("auth.invite-validity", "7d",
            "How long a new invite can be used when the admin does not say.",
            ValueParser.duration());
    public static final Setting<String> AUTH_OIDC_ISSUER = new Setting<>("auth.oidc.issuer", "",
            "Accept JWT bearer tokens from this external OpenID Connect issuer (its exact 'iss' value), mapped to "
                    + "an existing local user; empty = off.",
            ValueParser.optionalText());
    public static final Setting<String> AUTH_OIDC_JWKS_URL = new Setting<>("auth.oidc.jwks-url", "",
            "The issuer's JWKS URL (its signing keys); required with auth.oidc.issuer. https, or http on loopback only.",
            ValueParser.optionalText());
    public static final Setting<String> AUTH_OIDC_AUDIENCE = new Setting<>("auth.oidc.audience", "",
            "When set, a token's 'aud' claim must contain this value (usually the client id PlugAI is known by).",
            ValueParser.optionalText());
    public static final Setting<String> AUTH_OIDC_USERNAME_CLAIM = new Setting<>("auth.oidc.username-claim",
            "preferred_username",
            "The token claim holding the local username; no matching enabled user means the token is refused.",
            ValueParser.text());
    public static final Setting<Duration> AUTH_OIDC_JWKS_REFRESH = new Setting<>("auth.oidc.jwks-refresh", "1h",
            "How often the issuer's keys are fetched again; an unknown key id also fetches them, at most once a minute.",
            ValueParser.duration());
    public static final Setting<List<Path>> MODELS_EXTRA_DIRS = new Setting<>("models.extra-dirs", "",
            "More folders to discover local models in, comma-separated (e.g. a Hugging Face cache); the data "
                    + "folder's models/ is always searched.",
            ValueParser.pathList());
    public static final Setting<Duration> MODELS_RESCAN_INTERVAL = new Setting<>("models.rescan-interval", "60s",
            "How often the model folders are rescanned as well as watched (0s: watch only).",
            ValueParser.duration());
    public static final Setting<String> MODELS_DEFAULT = new Setting<>("models.default", "",
            "The default model (e.g. local/qwen2.5-0.5b-instruct-q4_k_m): loaded at start, never evicted, and the "
                    + "fallback while others load. Empty: the smallest installed text model.",
            ValueParser.optionalText());
    public static final Setting<Long> MODELS_MEMORY_BUDGET = new Setting<>("models.memory-budget", "auto",
            "Memory all loaded models may use together; auto = 75% of RAM minus the JVM heap. Idle models are "
                    + "unloaded least-recently-used first to stay under it.",
            ValueParser.byteSizeOrAuto(64L << 20));
    public static final Setting<Duration> MODELS_KEEP_ALIVE = new Setting<>("models.keep-alive", "5m",
            "A loaded model (other than the default) unused for this long is unloaded.",
            ValueParser.duration());
    public static final Setting<Integer> SCHEDULER_QUEUE_SIZE = new Setting<>("scheduler.queue-size", "16",
            "Requests that may wait per model; more are refused at once with 503 and Retry-After.",
            ValueParser.integer(0, 10_000));
    public static final Setting<Integer> SCHEDULER_SLOTS = new Setting<>("scheduler.slots-per-model", "1",
            "Generations run at once on one loaded model (1 suits CPUs; GPUs may take more).",
            ValueParser.integer(1, 64));
    public static final Setting<Integer> PROVIDERS_RETRIES = new Setting<>("providers.retries", "2",
            "Extra attempts when a provider fails before sending anything (5xx, 429, timeout), with back-off.",
            ValueParser.integer(0, 10));
    public static final Setting<Duration> PROVIDERS_RETRY_BACKOFF = new Setting<>("providers.retry-backoff", "250ms",
            "The first wait between attempts; it doubles each time.",
            ValueParser.duration());
    public static final Setting<Duration> PROVIDERS_READ_TIMEOUT = new Setting<>("providers.read-timeout", "90s",
            "How long a provider may stay silent: before its first byte and between chunks.",
            ValueParser.duration());
    public static final Setting<Duration> PROVIDERS_COOLDOWN = new Setting<>("providers.cooldown", "30s",
            "A provider failing most recent requests is paused this long (requests go to fallbacks or get 503).",
            ValueParser.duration());
    public static final Setting<Long> ATTACHMENTS_MAX_BYTES = new Setting<>("attachments.max-bytes", "20MiB",
            "Largest image a request may attach (inline or fetched from a URL); larger ones are refused with 400.",
            ValueParser.byteSize(1024));
    public static final Setting<Duration> ATTACHMENTS_FETCH_TIMEOUT = new Setting<>("attachments.fetch-timeout", "15s",
            "How long fetching one image attachment from its URL may take, redirects included.",
            ValueParser.duration());
    public static final Setting<Boolean> ATTACHMENTS_ALLOW_PRIVATE_NETWORKS = new Setting<>(
            "attachments.allow-private-networks", "false",
            "Let image URLs point into private networks (10/8, 172.16/12, 192.168/16, fc00::/7, 100.64/10), e.g. a "
                    + "home lab's image server. Loopback, link-local and cloud-metadata addresses stay refused.",
            ValueParser.bool());
    public static final Setting<String> LOG_LEVEL = new Setting<>("log.level", "info",
            "Least severe level written to the logs.",
            ValueParser.oneOf("error", "warn", "info", "debug", "trace"));
    public static final Setting<String> LOG_FORMAT = new Setting<>("log.format", "text",
            "Log line format, on stdout and in the log file: human text or one JSON object per line.",
            ValueParser.oneOf("text", "json"));
    public static final Setting<Boolean> LOG_FILE = new Setting<>("log.file", "true",
            "Also write logs to logs/plugai.log in the data folder (rotated daily and at 50 MiB, 14 files kept).",
            ValueParser.bool());

    /** Every setting, in the order the help and the docs list them. */
    public static final List<Setting<?>> ALL = List.of(
            SERVER_HOST, SERVER_PORT, SERVER_MAX_REQUEST_BODY, SERVER_MAX_CONCURRENT_REQUESTS,
            SERVER_MAX_CONNECTIONS, SERVER_IDLE_CONNECTION_TIMEOUT, SERVER_SHUTDOWN_GRACE_PERIOD,
            DATA_DIR, DATABASE_BUSY_TIMEOUT, AUTH_SESSION_IDLE_TIMEOUT, AUTH_SESSION_MAX_AGE, AUTH_SECURE_COOKIES,
            AUTH_LOGIN_FREE_FAILURES, AUTH_LOGIN_MAX_DELAY, AUTH_PASSWORD_HASH_CONCURRENCY, AUTH_INVITE_VALIDITY,
            AUTH_OIDC_ISSUER, AUTH_OIDC_JWKS_URL, AUTH_OIDC_AUDIENCE, AUTH_OIDC_USERNAME_CLAIM, AUTH_OIDC_JWKS_REFRESH,
            MODELS_EXTRA_DIRS, MODELS_RESCAN_INTERVAL, MODELS_DEFAULT, MODELS_MEMORY_BUDGET, MODELS_KEEP_ALIVE,
            SCHEDULER_QUEUE_SIZE, SCHEDULER_SLOTS, PROVIDERS_RETRIES, PROVIDERS_RETRY_BACKOFF, PROVIDERS_READ_TIMEOUT,
            PROVIDERS_COOLDOWN, ATTACHMENTS_MAX_BYTES, ATTACHMENTS_FETCH_TIMEOUT, ATTACHMENTS_ALLOW_PRIVATE_NETWORKS,
            LOG_LEVEL, LOG_FORMAT, LOG_FILE);

    /** Environment variable naming the config file when {@code --config} is not given. */
    public static final String CONFIG_FILE_ENV = "PLUGAI_CONFIG";

    private Settings() {
    }

    /** The catalogue as a Markdown table, as printed in {@code docs/configuration.md}. */
    public static String markdownTable() {
        StringBuilder table = new StringBuilder()
                .append("| key | environment variable | default | values | meaning |\n")
                .append("|---|---|---|---|---|\n");
        for (Setting<?> setting : ALL) {
            table.append("| `").append(setting.key()).append("` | `").append(setting.envVariable()).append("` | ")
                    .append(setting.defaultValue() == null ? "(see meaning)"
                            : setting.defaultValue().isEmpty() ? "(empty)" : "`" + setting.defaultValue() + "`")
                    .append(" | ").append(setting.valueType().replace("|", "\\|"))
                    .append(" | ").append(setting.description().replace("|", "\\|")).append(" |\n");
        }
        return table.toString();
    }

    /** The catalogue as plain text for {@code plugai --help}. */
    public static String helpText() {
        StringBuilder text = new StringBuilder();
        for (Setting<?> setting : ALL) {
            text.append("  ").append(setting.key())
                    .append("  (env ").append(setting.envVariable())
                    .append(", default ").append(setting.defaultValue() == null ? "see below"
                            : setting.defaultValue().isEmpty() ? "empty" : setting.defaultValue())
                    .append(")\n      ").append(setting.description()).append('\n');
        }
        return text.toString();
    }
}
