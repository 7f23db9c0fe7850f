package dev.plugai.core.identity.credentials;

import java.time.Instant;
import java.util.Map;

/**
 * A stored provider credential as it may be shown: who owns it, for which provider, of what type, and its
 * masked values. It never holds the secret; {@link CredentialVault#reveal} is the only way to that.
 *
 * @param id              the row id
 * @param owner           a user, or the operator
 * @param provider        the provider id, e.g. {@code openai}
 * @param type            the {@link CredentialSecret#type()} of the secret
 * @param masked          display values: identifiers and URLs in clear, secrets masked
 * @param sharedWithUsers for operator credentials: whether other users' requests may use it
 * @param keyId           the id of the master key that encrypted it
 * @param createdAt       when it was first stored
 * @param updatedAt       when it was last replaced
 */
public record ProviderCredential(String id, CredentialOwner owner, String provider, String type,
                                 Map<String, String> masked, boolean sharedWithUsers, String keyId,
                                 Instant createdAt, Instant updatedAt) {

    public ProviderCredential {
        masked = Map.copyOf(masked);
    }
}
