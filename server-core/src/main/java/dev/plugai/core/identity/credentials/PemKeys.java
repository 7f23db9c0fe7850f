package dev.plugai.core.identity.credentials;

import dev.plugai.core.errors.PlugAiException;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;

/** Reads the PKCS#8 PEM private keys found in service account files, with errors that never quote the key. */
final class PemKeys {

    private static final String BEGIN = "-----BEGIN PRIVATE KEY-----";
    private static final String END = "-----END PRIVATE KEY-----";

    private PemKeys() {
    }

    static PrivateKey rsaPrivateKey(String pem) {
        String trimmed = pem.strip();
        if (!trimmed.startsWith(BEGIN) || !trimmed.endsWith(END)) {
            throw new PlugAiException.InvalidRequest(
                    "The service account private_key must be a PKCS#8 PEM block (BEGIN PRIVATE KEY).");
        }
        String body = trimmed.substring(BEGIN.length(), trimmed.length() - END.length()).replaceAll("\\s", "");
        try {
            byte[] der = Base64.getDecoder().decode(body);
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            throw new PlugAiException.InvalidRequest("The service account private_key is not a readable RSA key.");
        }
    }
}
