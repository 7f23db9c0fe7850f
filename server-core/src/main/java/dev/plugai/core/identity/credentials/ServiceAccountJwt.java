package dev.plugai.core.identity.credentials;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plugai.core.identity.credentials.CredentialSecret.GoogleServiceAccount;
import dev.plugai.core.json.JsonMappers;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

/** The RS256-signed JWT a Google service account trades for an access token (RFC 7523 §2.1). */
final class ServiceAccountJwt {

    static final long LIFETIME_SECONDS = 3600;

    private static final ObjectMapper JSON = JsonMappers.create();
    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

    private ServiceAccountJwt() {
    }

    static String assertion(GoogleServiceAccount account, List<String> scopes, Instant now) {
        ObjectNode header = JSON.createObjectNode().put("alg", "RS256").put("typ", "JWT");
        long issuedAt = now.getEpochSecond();
        ObjectNode claims = JSON.createObjectNode()
                .put("iss", account.clientEmail())
                .put("scope", String.join(" ", scopes))
                .put("aud", account.tokenUri())
                .put("iat", issuedAt)
                .put("exp", issuedAt + LIFETIME_SECONDS);
        String signingInput = encode(header) + "." + encode(claims);
        try {
            Signature signature = Signature.getInstance("SHA256withRSA");
            signature.initSign(account.privateKey());
            signature.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + "." + BASE64URL.encodeToString(signature.sign());
        } catch (GeneralSecurityException e) {
            // The exception names the algorithm or key problem only, never key material.
            throw new IllegalStateException("Cannot sign the service account assertion", e);
        }
    }

    private static String encode(ObjectNode node) {
        try {
            return BASE64URL.encodeToString(JSON.writeValueAsBytes(node));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot write the assertion JSON", e);
        }
    }
}
