package dev.plugai.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.Headers;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An external OpenID Connect issuer for tests: real keys, a real JWKS endpoint on a MockWebServer, and
 * tokens signed the way an identity provider signs them (or forged the ways attackers forge them).
 */
final class FakeOidcIssuer implements AutoCloseable {

    static final String ISSUER = "https://id.example.test/realms/plugai";
    static final String AUDIENCE = "plugai";

    private final MockWebServer server = new MockWebServer();
    private final Clock clock;
    private volatile List<Key> published = List.of();
    private volatile boolean down;
    final AtomicInteger fetches = new AtomicInteger();

    /** A signing key with its id, as the issuer holds it. */
    record Key(String kid, KeyPair pair) {
    }

    FakeOidcIssuer(Clock clock) {
        this.clock = clock;
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                fetches.incrementAndGet();
                if (down || !request.getUrl().encodedPath().equals("/certs")) {
                    return new MockResponse(down ? 503 : 404, Headers.of(), "");
                }
                return new MockResponse(200, Headers.of("Content-Type", "application/json"), jwks());
            }
        });
        try {
            server.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Key rsaKey(String kid) {
        return new Key(kid, generate("RSA", null));
    }

    static Key ecKey(String kid) {
        return new Key(kid, generate("EC", new ECGenParameterSpec("secp256r1")));
    }

    /** Replaces the keys the JWKS endpoint publishes (key rotation). */
    void publish(Key... keys) {
        published = List.of(keys);
    }

    void down(boolean down) {
        this.down = down;
    }

    /** The settings that make a PlugAI server trust this issuer. */
    Map<String, String> settings() {
        return Map.of("auth.oidc.issuer", ISSUER, "auth.oidc.jwks-url", server.url("/certs").toString(),
                "auth.oidc.audience", AUDIENCE);
    }

    /** The claims a real issuer puts in an access token for {@code username}, valid for five minutes. */
    Map<String, Object> claims(String username) {
        long now = clock.instant().getEpochSecond();
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("iss", ISSUER);
        claims.put("sub", "f2c1a8e0-" + username);
        claims.put("aud", List.of("account", AUDIENCE));
        claims.put("iat", now);
        claims.put("nbf", now);
        claims.put("exp", now + 300);
        claims.put("preferred_username", username);
        return claims;
    }

    String token(Key key, Map<String, Object> claims) {
        String alg = key.pair().getPublic() instanceof ECPublicKey ? "ES256" : "RS256";
        String input = encoded(Map.of("alg", alg, "typ", "JWT", "kid", key.kid())) + "." + encoded(claims);
        try {
            Signature signature = Signature.getInstance(
                    alg.equals("ES256") ? "SHA256withECDSAinP1363Format" : "SHA256withRSA");
            signature.initSign(key.pair().getPrivate());
            signature.update(input.getBytes(StandardCharsets.US_ASCII));
            return input + "." + base64(signature.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    String token(Key key, String username) {
        return token(key, claims(username));
    }

    /** A token whose header claims {@code alg: none} and which carries no signature at all. */
    String unsignedToken(String kid, Map<String, Object> claims) {
        return encoded(Map.of("alg", "none", "kid", kid)) + "." + encoded(claims) + ".";
    }

    /** The key-confusion attack: HS256 with the issuer's (public, so known) RSA key as the HMAC secret. */
    String hmacWithPublicKey(Key key, Map<String, Object> claims) {
        String input = encoded(Map.of("alg", "HS256", "typ", "JWT", "kid", key.kid())) + "." + encoded(claims);
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.pair().getPublic().getEncoded(), "HmacSHA256"));
            return input + "." + base64(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private String jwks() {
        List<Map<String, Object>> keys = published.stream().map(FakeOidcIssuer::jwk).toList();
        return json(Map.of("keys", keys));
    }

    private static Map<String, Object> jwk(Key key) {
        Map<String, Object> jwk = new LinkedHashMap<>();
        jwk.put("kid", key.kid());
        jwk.put("use", "sig");
        if (key.pair().getPublic() instanceof RSAPublicKey rsa) {
            jwk.put("kty", "RSA");
            jwk.put("alg", "RS256");
            jwk.put("n", unsigned(rsa.getModulus()));
            jwk.put("e", unsigned(rsa.getPublicExponent()));
        } else {
            ECPublicKey ec = (ECPublicKey) key.pair().getPublic();
            jwk.put("kty", "EC");
            jwk.put("crv", "P-256");
            jwk.put("x", fixed(ec.getW().getAffineX(), 32));
            jwk.put("y", fixed(ec.getW().getAffineY(), 32));
        }
        return jwk;
    }

    private static String unsigned(BigInteger value) {
        byte[] bytes = value.toByteArray();
        return base64(bytes[0] == 0 ? Arrays.copyOfRange(bytes, 1, bytes.length) : bytes);
    }

    private static String fixed(BigInteger value, int length) {
        byte[] bytes = value.toByteArray();
        byte[] out = new byte[length];
        int copy = Math.min(bytes.length, length);
        System.arraycopy(bytes, bytes.length - copy, out, length - copy, copy);
        return base64(out);
    }

    private static String encoded(Map<String, Object> json) {
        return base64(json(json).getBytes(StandardCharsets.UTF_8));
    }

    private static String json(Object value) {
        try {
            return Api.JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String base64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static KeyPair generate(String algorithm, ECGenParameterSpec curve) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
            if (curve != null) {
                generator.initialize(curve);
            } else {
                generator.initialize(2048);
            }
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.close();
    }
}
