package dev.plugai.http.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.plugai.core.json.JsonMappers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * The external issuer's signing keys, fetched from its JWKS URL on first use and again every refresh
 * interval, or sooner when a token names a key id we do not hold (key rotation). Fetches happen at most
 * once a minute whatever tokens arrive, so junk tokens cannot make us hammer the issuer; a failed fetch
 * keeps the keys we had.
 *
 * <p>Thread-safe: look-ups are serialised, and a fetch (bounded by its timeout) holds the others back.
 */
final class JwksCache {

    private static final Logger LOG = LoggerFactory.getLogger(JwksCache.class);
    static final Duration MIN_FETCH_INTERVAL = Duration.ofMinutes(1);
    static final Duration FETCH_TIMEOUT = Duration.ofSeconds(5);
    /** A JWKS holds a handful of keys; anything this large is not one. */
    private static final int MAX_BYTES = 1 << 20;
    private static final ObjectMapper JSON = JsonMappers.create();

    private final URI url;
    private final HttpClient client;
    private final Clock clock;
    private final Duration refreshInterval;
    private List<Jwk> keys = List.of();
    private Instant fetchedAt;
    private Instant lastAttempt;

    JwksCache(URI url, HttpClient client, Clock clock, Duration refreshInterval) {
        this.url = url;
        this.client = client;
        this.clock = clock;
        this.refreshInterval = refreshInterval;
    }

    /** A signing key as published by the issuer; {@code alg} is set when the issuer pins the key to one. */
    record Jwk(Optional<String> kid, Optional<String> alg, PublicKey publicKey) {
    }

    /**
     * The key a token names; a token without {@code kid} may only use the issuer's sole key, since guessing
     * among several would let a token pick the weakest.
     */
    synchronized Optional<Jwk> find(Optional<String> kid) {
        Instant now = clock.instant();
        boolean due = fetchedAt == null || !now.isBefore(fetchedAt.plus(refreshInterval));
        if ((due || lookUp(kid).isEmpty()) && mayFetch(now)) {
            fetch(now);
        }
        return lookUp(kid);
    }

    private Optional<Jwk> lookUp(Optional<String> kid) {
        if (kid.isEmpty()) {
            return keys.size() == 1 ? Optional.of(keys.getFirst()) : Optional.empty();
        }
        return keys.stream().filter(key -> key.kid().equals(kid)).findFirst();
    }

    private boolean mayFetch(Instant now) {
        return lastAttempt == null || !now.isBefore(lastAttempt.plus(MIN_FETCH_INTERVAL));
    }

    private void fetch(Instant now) {
        lastAttempt = now;
        try {
            keys = parse(download());
            fetchedAt = now;
            LOG.debug("Fetched {} signing key(s) from {}", keys.size(), url);
        } catch (IOException e) {
            LOG.warn("Could not fetch the OIDC issuer's keys from {}: {}", url, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private byte[] download() throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(url).timeout(FETCH_TIMEOUT)
                .header("Accept", "application/json").GET().build();
        HttpResponse<InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream body = response.body()) {
            if (response.statusCode() != 200) {
                throw new IOException("HTTP " + response.statusCode());
            }
            byte[] bytes = body.readNBytes(MAX_BYTES + 1);
            if (bytes.length > MAX_BYTES) {
                throw new IOException("the answer is larger than " + MAX_BYTES + " bytes");
            }
            return bytes;
        }
    }

    /** The usable signature keys of a JWKS document; keys we cannot use are skipped, not fatal. */
    static List<Jwk> parse(byte[] document) throws IOException {
        JsonNode root = JSON.readTree(document);
        if (root == null || !root.path("keys").isArray()) {
            throw new IOException("not a JWKS document (no 'keys' array)");
        }
        List<Jwk> keys = new ArrayList<>();
        for (JsonNode node : root.get("keys")) {
            if (node.hasNonNull("use") && !node.get("use").asText().equals("sig")) {
                continue;
            }
            try {
                publicKey(node).ifPresent(key -> keys.add(new Jwk(text(node, "kid"), text(node, "alg"), key)));
            } catch (GeneralSecurityException | IllegalArgumentException e) {
                LOG.debug("Skipped an unreadable key {} in the issuer's JWKS", text(node, "kid").orElse("without kid"));
            }
        }
        return List.copyOf(keys);
    }

    private static Optional<PublicKey> publicKey(JsonNode node) throws GeneralSecurityException {
        return switch (node.path("kty").asText()) {
            case "RSA" -> Optional.of(KeyFactory.getInstance("RSA").generatePublic(
                    new RSAPublicKeySpec(unsigned(node, "n"), unsigned(node, "e"))));
            case "EC" -> {
                String curve = switch (node.path("crv").asText()) {
                    case "P-256" -> "secp256r1";
                    case "P-384" -> "secp384r1";
                    case "P-521" -> "secp521r1";
                    default -> throw new GeneralSecurityException("unsupported curve");
                };
                AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC");
                parameters.init(new ECGenParameterSpec(curve));
                yield Optional.of(KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(
                        new ECPoint(unsigned(node, "x"), unsigned(node, "y")),
                        parameters.getParameterSpec(ECParameterSpec.class))));
            }
            default -> Optional.empty();
        };
    }

    private static BigInteger unsigned(JsonNode node, String field) {
        if (!node.path(field).isTextual()) {
            throw new IllegalArgumentException("missing " + field);
        }
        return new BigInteger(1, Base64.getUrlDecoder().decode(node.get(field).asText()));
    }

    private static Optional<String> text(JsonNode node, String field) {
        return node.path(field).isTextual() ? Optional.of(node.get(field).asText()) : Optional.empty();
    }
}
