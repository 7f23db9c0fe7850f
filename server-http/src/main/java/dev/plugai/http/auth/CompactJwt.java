package dev.plugai.http.auth;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.plugai.core.json.JsonMappers;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * A JWT in JWS compact form, split into its parts. Nothing in it is trusted until its signature has been
 * verified against the issuer's key.
 *
 * @param header       the JOSE header
 * @param claims       the payload's claims
 * @param signingInput the bytes the signature covers: {@code base64url(header) '.' base64url(payload)}
 * @param signature    the signature bytes (empty for {@code alg: none})
 */
record CompactJwt(JsonNode header, JsonNode claims, byte[] signingInput, byte[] signature) {

    /** Far above any real ID or access token, low enough that nobody can make us parse megabytes. */
    private static final int MAX_LENGTH = 16 * 1024;
    private static final Pattern SHAPE = Pattern.compile("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]*");
    /** Duplicate claims are refused: two readers of one token must never see different values. */
    private static final ObjectMapper JSON = JsonMappers.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

    /** Whether the text has the shape of a compact JWS: three base64url parts separated by dots. */
    static boolean hasShape(String text) {
        return text.length() <= MAX_LENGTH && SHAPE.matcher(text).matches();
    }

    static CompactJwt parse(String token) throws TokenRefused {
        if (!hasShape(token)) {
            throw new TokenRefused("not a compact JWS");
        }
        int first = token.indexOf('.');
        int second = token.indexOf('.', first + 1);
        Base64.Decoder base64 = Base64.getUrlDecoder();
        try {
            JsonNode header = JSON.readTree(base64.decode(token.substring(0, first)));
            JsonNode claims = JSON.readTree(base64.decode(token.substring(first + 1, second)));
            if (header == null || !header.isObject() || claims == null || !claims.isObject()) {
                throw new TokenRefused("header or claims are not JSON objects");
            }
            return new CompactJwt(header, claims, token.substring(0, second).getBytes(StandardCharsets.US_ASCII),
                    base64.decode(token.substring(second + 1)));
        } catch (IllegalArgumentException | IOException e) {
            throw new TokenRefused("malformed base64url or JSON");
        }
    }
}
