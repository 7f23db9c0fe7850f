package dev.plugai.core.identity.credentials;

import java.time.Instant;

/**
 * A short-lived access token obtained for a provider credential, to be sent as
 * {@code Authorization: <tokenType> <value>}. Its {@code toString()} does not show the value.
 *
 * @param value     the token itself
 * @param tokenType the scheme, usually {@code Bearer}
 * @param expiresAt when the issuer said it stops working
 */
public record AccessToken(String value, String tokenType, Instant expiresAt) {

    @Override
    public String toString() {
        return "AccessToken[" + tokenType + " " + Masks.ELLIPSIS + ", expires " + expiresAt + "]";
    }
}
