package dev.plugai.core.identity.credentials;

/**
 * What a master key rotation did.
 *
 * @param previousKeyId  the key that is no longer needed
 * @param currentKeyId   the key every credential is now encrypted with
 * @param reencrypted    how many credentials were re-encrypted
 */
public record KeyRotation(String previousKeyId, String currentKeyId, int reencrypted) {
}
