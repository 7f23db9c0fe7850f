package dev.plugai.core.identity.credentials;

import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The AES-256 key that encrypts stored credentials, with a short public id (a SHA-256 prefix of the key)
 * that each row records so rotation and start-up recovery know which key a row needs.
 *
 * <p>Immutable and thread-safe. Its {@code toString()} shows the id only.
 */
public final class MasterKey {

    static final int LENGTH_BYTES = 32;

    private final SecretKey key;
    private final String id;

    private MasterKey(byte[] bytes) {
        if (bytes.length != LENGTH_BYTES) {
            throw new IllegalArgumentException("A master key must be " + LENGTH_BYTES + " bytes");
        }
        this.key = new SecretKeySpec(bytes, "AES");
        this.id = idOf(bytes);
    }

    static MasterKey generate(SecureRandom random) {
        byte[] bytes = new byte[LENGTH_BYTES];
        random.nextBytes(bytes);
        return new MasterKey(bytes);
    }

    static MasterKey of(byte[] bytes) {
        return new MasterKey(bytes.clone());
    }

    /** The first 16 hex digits of the key's SHA-256: identifies it without revealing it. */
    public String id() {
        return id;
    }

    SecretKey secretKey() {
        return key;
    }

    byte[] bytes() {
        return key.getEncoded();
    }

    private static String idOf(byte[] bytes) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java runtime has SHA-256", e);
        }
    }

    @Override
    public String toString() {
        return "MasterKey[" + id + "]";
    }
}
