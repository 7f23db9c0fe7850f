package dev.plugai.core.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The whole configuration, typed and validated, read once at start-up.
 *
 * @param server     how the HTTP server listens and what it accepts
 * @param dataDir    the data folder (absolute)
 * @param database   database tuning
 * @param auth       sessions, cookies, login throttling, password hashing, invites
 * @param logging    log level and format
 * @param configFile the config file that was read, if any
 * @param warnings   things worth telling the operator, e.g. unknown keys in the config file
 */
public record PlugAiConfig(ServerSettings server, Path dataDir, DatabaseSettings database, AuthSettings auth,
                           ModelSettings models, ProviderSettings providers, AttachmentSettings attachments,
                           LoggingSettings logging,
                           Optional<Path> configFile, List<String> warnings) {

    public PlugAiConfig {
        warnings = List.copyOf(warnings);
    }

    /** How the HTTP server listens and what it accepts. */
    public record ServerSettings(String host, int port, long maxRequestBodyBytes, int maxConcurrentRequests,
                                 int maxConnections, Duration idleConnectionTimeout, Duration shutdownGracePeriod) {
    }

    /**
     * Authentication.
     *
     * @param sessionIdleTimeout     a session unused this long ends
     * @param sessionMaxAge          a session ends this long after login
     * @param secureCookies          auto, always or never
     * @param loginFreeFailures      failures per account name before attempts must wait
     * @param loginMaxDelay          the longest wait between attempts
     * @param passwordHashConcurrency Argon2id computations at once
     * @param inviteValidity         default validity of a new invite
     * @param oidc                   the external OIDC issuer whose JWTs are accepted; empty when that is off
     */
    public record AuthSettings(Duration sessionIdleTimeout, Duration sessionMaxAge, String secureCookies,
                               int loginFreeFailures, Duration loginMaxDelay, int passwordHashConcurrency,
                               Duration inviteValidity, Optional<OidcSettings> oidc) {
    }

    /**
     * An external OpenID Connect issuer whose signed JWTs are accepted as bearer tokens for local users.
     *
     * @param issuer        the exact {@code iss} value tokens must carry
     * @param jwksUrl       where the issuer publishes its signing keys (https, or http on loopback)
     * @param audience      a value the {@code aud} claim must contain, if set
     * @param usernameClaim the claim holding the local username
     * @param jwksRefresh   how often the keys are fetched again
     */
    public record OidcSettings(String issuer, URI jwksUrl, Optional<String> audience, String usernameClaim,
                               Duration jwksRefresh) {
    }

    /**
     * Local models.
     *
     * @param extraDirs         folders searched besides the data folder's {@code models/}
     * @param rescanInterval    how often the folders are rescanned (zero: watch only)
     * @param defaultModel      the default model, or empty for the smallest text model
     * @param memoryBudgetBytes memory for all loaded models; 0 = automatic
     * @param keepAlive         idle time after which a non-default model is unloaded
     * @param queueSize         requests that may wait per model
     * @param slotsPerModel     concurrent generations per loaded model
     */
    public record ModelSettings(List<Path> extraDirs, Duration rescanInterval, Optional<String> defaultModel,
                                long memoryBudgetBytes, Duration keepAlive, int queueSize, int slotsPerModel) {
        public ModelSettings {
            extraDirs = List.copyOf(extraDirs);
        }
    }

    /**
     * Remote providers.
     *
     * @param retries      extra attempts before the first byte
     * @param retryBackoff the first wait between attempts
     * @param readTimeout  how long a provider may stay silent
     * @param cooldown     how long a failing provider is paused
     * @param instances    the provider instances defined in the config file, applied at every start
     */
    public record ProviderSettings(int retries, Duration retryBackoff, Duration readTimeout, Duration cooldown,
                                   List<ProviderDefinition> instances) {
        public ProviderSettings {
            instances = List.copyOf(instances);
        }
    }

    /**
     * A provider instance defined in the config file under {@code providers.instances}.
     *
     * @param id            the provider id, the prefix of its model ids
     * @param kind          the adapter kind, e.g. {@code openai-compatible}
     * @param baseUrl       the API's base URL, or empty for the kind's public default
     * @param headers       extra headers for every request (never credentials)
     * @param allowedModels upstream model ids that may be used, or empty for every listed model
     */
    public record ProviderDefinition(String id, String kind, Optional<URI> baseUrl, Map<String, String> headers,
                                     Optional<List<String>> allowedModels) {
        public ProviderDefinition {
            headers = Map.copyOf(headers);
            allowedModels = allowedModels.map(List::copyOf);
        }
    }

    /**
     * Image attachments of generation requests.
     *
     * @param maxBytes             the largest image accepted, inline or fetched
     * @param fetchTimeout         the time one URL may take to fetch, redirects included
     * @param allowPrivateNetworks whether image URLs may point into private networks (never loopback or metadata)
     */
    public record AttachmentSettings(long maxBytes, Duration fetchTimeout, boolean allowPrivateNetworks) {
    }

    /** Database tuning. */
    public record DatabaseSettings(Duration busyTimeout) {
    }

    /**
     * Logging.
     *
     * @param level  error, warn, info, debug or trace
     * @param json   one JSON object per line instead of text
     * @param toFile also write a rotating file in the data folder's {@code logs/}
     */
    public record LoggingSettings(String level, boolean json, boolean toFile) {
    }
}
