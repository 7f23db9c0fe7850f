package dev.plugai.core.identity;

import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.concurrent.Semaphore;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Argon2id password hashing (BouncyCastle) at OWASP's recommended minimum (m = 19 MiB, t = 2, p = 1),
 * stored as PHC strings ({@code $argon2id$v=19$m=19456,t=2,p=1$salt$hash}). At most {@code permits}
 * hashes are computed at once, so a login storm queues instead of exhausting memory.
 *
 * <p>Thread-safe.
 */
public final class PasswordHasher {

    static final int MEMORY_KIB = 19 * 1024;
    static final int ITERATIONS = 2;
    static final int PARALLELISM = 1;
    private static final int SALT_BYTES = 16;
    private static final int HASH_BYTES = 32;
    private static final Pattern PHC = Pattern.compile(
            "\\$argon2id\\$v=19\\$m=(\\d+),t=(\\d+),p=(\\d+)\\$([A-Za-z0-9+/]+)\\$([A-Za-z0-9+/]+)");
    private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();
    private static final Base64.Decoder B64_DECODER = Base64.getDecoder();

    private final SecureRandom random = new SecureRandom();
    private final Semaphore permits;
    /**
     * Hash of a random password, verified against when the user does not exist, so both cases cost the
     * same. Made on first use: hashing at start-up would cost every start half a second.
     */
    private volatile String decoy;

    public PasswordHasher(int concurrentHashes) {
        this.permits = new Semaphore(Math.max(1, concurrentHashes), true);
    }

    /** A new PHC string for {@code password} with a fresh salt. */
    public String hash(char[] password) {
        byte[] salt = new byte[SALT_BYTES];
        random.nextBytes(salt);
        byte[] hash = derive(password, salt, MEMORY_KIB, ITERATIONS, PARALLELISM);
        return "$argon2id$v=19$m=" + MEMORY_KIB + ",t=" + ITERATIONS + ",p=" + PARALLELISM + "$"
                + B64.encodeToString(salt) + "$" + B64.encodeToString(hash);
    }

    /** Whether {@code password} matches {@code phc}; false for malformed hashes. Constant-time comparison. */
    public boolean verify(char[] password, String phc) {
        Matcher matcher = PHC.matcher(phc == null ? "" : phc);
        if (!matcher.matches()) {
            return false;
        }
        int memory = Integer.parseInt(matcher.group(1));
        int iterations = Integer.parseInt(matcher.group(2));
        int parallelism = Integer.parseInt(matcher.group(3));
        byte[] salt = B64_DECODER.decode(matcher.group(4));
        byte[] expected = B64_DECODER.decode(matcher.group(5));
        byte[] actual = derive(password, salt, memory, iterations, parallelism, expected.length);
        return MessageDigest.isEqual(expected, actual);
    }

    /** Spends the same work as {@link #verify} and returns false: for logins of unknown users. */
    public boolean verifyDecoy(char[] password) {
        String current = decoy;
        if (current == null) {
            synchronized (this) {
                if (decoy == null) {
                    decoy = hash(SecretTokens.urlSafe(24).toCharArray());
                }
                current = decoy;
            }
        }
        verify(password, current);
        return false;
    }

    private byte[] derive(char[] password, byte[] salt, int memory, int iterations, int parallelism) {
        return derive(password, salt, memory, iterations, parallelism, HASH_BYTES);
    }

    private byte[] derive(char[] password, byte[] salt, int memory, int iterations, int parallelism, int length) {
        Argon2Parameters parameters = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withMemoryAsKB(memory)
                .withIterations(iterations)
                .withParallelism(parallelism)
                .withSalt(salt)
                .build();
        Argon2BytesGenerator generator = new Argon2BytesGenerator();
        generator.init(parameters);
        byte[] passwordBytes = toUtf8(password);
        byte[] out = new byte[length];
        permits.acquireUninterruptibly();
        try {
            generator.generateBytes(passwordBytes, out);
        } finally {
            permits.release();
            Arrays.fill(passwordBytes, (byte) 0);
        }
        return out;
    }

    private static byte[] toUtf8(char[] password) {
        java.nio.ByteBuffer buffer = StandardCharsets.UTF_8.encode(java.nio.CharBuffer.wrap(password));
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        if (buffer.hasArray()) {
            Arrays.fill(buffer.array(), (byte) 0);
        }
        return bytes;
    }
}
