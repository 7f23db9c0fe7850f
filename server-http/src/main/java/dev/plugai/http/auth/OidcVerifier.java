package dev.plugai.http.auth;

import com.fasterxml.jackson.databind.JsonNode;
import dev.plugai.core.config.PlugAiConfig;
import dev.plugai.core.identity.Caller;
import dev.plugai.core.identity.IdentityService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Turns a JWT from the configured external OIDC issuer into a {@link Caller} for the existing local user
 * its username claim names: signature checked against the issuer's published keys (asymmetric algorithms
 * only), then {@code iss}, {@code exp}, {@code nbf} and (when configured) {@code aud}.
 *
 * <p>Built on the JDK's own signature code rather than helidon-security-jwt: that module is not published
 * for our Helidon version (4.3.4) on Maven Central (only up to 4.3.1), and mixing Helidon versions is
 * worse than the little code the checks take here.
 *
 * <p>Thread-safe.
 */
public final class OidcVerifier {

    private static final Logger LOG = LoggerFactory.getLogger(OidcVerifier.class);
    /** Tolerated difference between our clock and the issuer's. */
    static final Duration CLOCK_SKEW = Duration.ofSeconds(60);

    private final PlugAiConfig.OidcSettings settings;
    private final JwksCache keys;
    private final IdentityService identity;
    private final Clock clock;

    private OidcVerifier(PlugAiConfig.OidcSettings settings, JwksCache keys, IdentityService identity, Clock clock) {
        this.settings = settings;
        this.keys = keys;
        this.identity = identity;
        this.clock = clock;
    }

    /** The verifier for the configured issuer, or nothing when no issuer is configured. */
    public static Optional<OidcVerifier> from(PlugAiConfig.AuthSettings auth, IdentityService identity, Clock clock) {
        return auth.oidc().map(settings -> {
            HttpClient client = HttpClient.newBuilder()
                    .connectTimeout(JwksCache.FETCH_TIMEOUT)
                    .followRedirects(HttpClient.Redirect.NEVER)
                    .build();
            return new OidcVerifier(settings, new JwksCache(settings.jwksUrl(), client, clock,
                    settings.jwksRefresh()), identity, clock);
        });
    }

    /** Whether a bearer value has the shape of a JWT and so is worth handing to {@link #authenticate}. */
    static boolean looksLikeJwt(String credential) {
        return CompactJwt.hasShape(credential);
    }

    /** The caller the token stands for, or nothing when it is not valid; the reason goes to the debug log only. */
    Optional<Caller> authenticate(String token) {
        String username;
        try {
            username = verifiedUsername(token);
        } catch (TokenRefused refused) {
            LOG.debug("OIDC token refused: {}", refused.getMessage());
            return Optional.empty();
        }
        Optional<Caller> caller = identity.authenticateExternal(username);
        if (caller.isEmpty()) {
            LOG.debug("OIDC token refused: no enabled local user '{}'", username);
        }
        return caller;
    }

    private String verifiedUsername(String token) throws TokenRefused {
        CompactJwt jwt = CompactJwt.parse(token);
        String algorithmName = jwt.header().path("alg").asText("");
        JwsAlgorithm algorithm = JwsAlgorithm.byName(algorithmName)
                .orElseThrow(() -> new TokenRefused("algorithm '" + algorithmName + "' is not accepted"));
        if (jwt.header().has("crit")) {
            // RFC 7515: extensions we do not understand must make the token invalid.
            throw new TokenRefused("critical header extensions are not supported");
        }
        Optional<String> kid = jwt.header().path("kid").isTextual()
                ? Optional.of(jwt.header().get("kid").asText()) : Optional.empty();
        JwksCache.Jwk key = keys.find(kid)
                .orElseThrow(() -> new TokenRefused("unknown kid " + kid.orElse("(none given)")));
        if ((key.alg().isPresent() && !key.alg().get().equals(algorithm.name())) || !algorithm.fits(key.publicKey())) {
            throw new TokenRefused("the key does not fit algorithm " + algorithm);
        }
        if (!algorithm.verify(key.publicKey(), jwt.signingInput(), jwt.signature())) {
            throw new TokenRefused("bad signature");
        }
        checkClaims(jwt.claims());
        JsonNode username = jwt.claims().path(settings.usernameClaim());
        if (!username.isTextual()) {
            throw new TokenRefused("no '" + settings.usernameClaim() + "' claim");
        }
        return username.asText();
    }

    private void checkClaims(JsonNode claims) throws TokenRefused {
        if (!claims.path("iss").isTextual() || !claims.get("iss").asText().equals(settings.issuer())) {
            throw new TokenRefused("wrong issuer");
        }
        Instant now = clock.instant();
        if (!claims.path("exp").isNumber()) {
            throw new TokenRefused("no exp claim");
        }
        if (!now.isBefore(Instant.ofEpochSecond(claims.get("exp").asLong()).plus(CLOCK_SKEW))) {
            throw new TokenRefused("expired");
        }
        if (claims.has("nbf")) {
            if (!claims.get("nbf").isNumber()) {
                throw new TokenRefused("malformed nbf claim");
            }
            if (now.plus(CLOCK_SKEW).isBefore(Instant.ofEpochSecond(claims.get("nbf").asLong()))) {
                throw new TokenRefused("not valid yet");
            }
        }
        if (settings.audience().isPresent() && !hasAudience(claims.path("aud"), settings.audience().get())) {
            throw new TokenRefused("wrong audience");
        }
    }

    private static boolean hasAudience(JsonNode aud, String expected) {
        if (aud.isTextual()) {
            return aud.asText().equals(expected);
        }
        if (aud.isArray()) {
            for (JsonNode entry : aud) {
                if (entry.isTextual() && entry.asText().equals(expected)) {
                    return true;
                }
            }
        }
        return false;
    }
}
