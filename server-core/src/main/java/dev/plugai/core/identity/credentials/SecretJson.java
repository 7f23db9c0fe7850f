package dev.plugai.core.identity.credentials;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import dev.plugai.core.json.JsonMappers;

import java.io.IOException;
import java.util.Map;

/**
 * The JSON forms stored for a credential: the secret payload (encrypted before it is stored, with a
 * {@code type} discriminator) and the masked display values.
 *
 * <p>Thread-safe. Jackson errors are never passed on: their messages quote the input, i.e. the secret.
 */
final class SecretJson {

    private static final ObjectMapper MAPPER = JsonMappers.create()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private static final ObjectWriter SECRET_WRITER = MAPPER.writerFor(CredentialSecret.class);
    private static final ObjectReader SECRET_READER = MAPPER.readerFor(CredentialSecret.class);
    private static final TypeReference<Map<String, String>> MASKED = new TypeReference<>() {
    };

    private SecretJson() {
    }

    static byte[] write(CredentialSecret secret) {
        try {
            return SECRET_WRITER.writeValueAsBytes(secret);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A credential of type " + secret.type() + " cannot be written as JSON");
        }
    }

    /** The secret, or {@code null} when the bytes are not a valid secret of a known type. */
    static CredentialSecret readOrNull(byte[] json) {
        try {
            return SECRET_READER.readValue(json);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    static String writeMasked(Map<String, String> masked) {
        try {
            return MAPPER.writeValueAsString(masked);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Masked values cannot be written as JSON", e);
        }
    }

    static Map<String, String> readMasked(String json) {
        try {
            return Map.copyOf(MAPPER.readValue(json, MASKED));
        } catch (JsonProcessingException e) {
            return Map.of();
        }
    }
}
