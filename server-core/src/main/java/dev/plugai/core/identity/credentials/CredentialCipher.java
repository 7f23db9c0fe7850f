package dev.plugai.core.identity.credentials;

import dev.plugai.core.errors.ErrorKind;
import dev.plugai.core.errors.PlugAiException;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * AES-256-GCM for one credential row: a fresh 96-bit nonce per write, a 128-bit tag, and the row's identity
 * as associated data so a ciphertext only opens in the row it was written for.
 *
 * <p>Thread-safe: a {@link Cipher} is made per call.
 */
final class CredentialCipher {

    static final String UNREADABLE = "stored credential cannot be decrypted: wrong master key or tampered data";

    private static final String TRANSFORMATION = "AES/GCM/NoPadding";
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final String AAD_VERSION = "plugai-credential-v1";

    private final SecureRandom random;

    CredentialCipher(SecureRandom random) {
        this.random = random;
    }

    /** Ciphertext and nonce, base64, plus the id of the key that made them. */
    record Sealed(String ciphertext, String iv, String keyId) {
    }

    /** What binds a ciphertext to its row: owner, row id and provider. */
    record RowIdentity(String ownerKey, String rowId, String provider) {
        byte[] associatedData() {
            return String.join("\n", AAD_VERSION, ownerKey, rowId, provider).getBytes(StandardCharsets.UTF_8);
        }
    }

    Sealed seal(MasterKey key, RowIdentity row, byte[] plaintext) {
        byte[] iv = new byte[IV_BYTES];
        random.nextBytes(iv);
        try {
            Cipher cipher = Cipher.getInstance(TRANSFORMATION);
            cipher.init(Cipher.ENCRYPT_MODE, key.secretKey(), new GCMParameterSpec(TAG_BITS, iv));
            cipher.updateAAD(row.associatedData());
            byte[] ciphertext = cipher.doFinal(plaintext);
            Base64.Encoder base64 = Base64.getEncoder();
            return new Sealed(base64.encodeToString(ciphertext), base64.encodeToString(iv), key.id());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM encryption is not available in this Java runtime", e);
        }
    }

    /** The plaintext, or the domain error (never the raw {@code AEADBadTagException}) when it does not open. */
    byte[] open(MasterKey key, RowIdentity row, Sealed sealed) {
        byte[] ciphertext;
        byte[] iv;
        try {
            ciphertext = Base64.getDecoder().decode(sealed.ciphertext());
            iv = Base64.getDecoder().decode(sealed.iv());
        } catch (IllegalArgumentException e) {
            throw unreadable();
        }
        if (iv.length != IV_BYTES) {
            throw unreadable();
        }
        try {
            Cipher cipher = Cipher.getInstance(TRANSFORMATION);
            cipher.init(Cipher.DECRYPT_MODE, key.secretKey(), new GCMParameterSpec(TAG_BITS, iv));
            cipher.updateAAD(row.associatedData());
            return cipher.doFinal(ciphertext);
        } catch (GeneralSecurityException e) {
            // AEADBadTagException and friends say only "it did not verify"; the caller needs no more.
            throw unreadable();
        }
    }

    static PlugAiException unreadable() {
        return new PlugAiException.Internal(ErrorKind.CREDENTIAL_UNREADABLE, UNREADABLE, null);
    }
}
