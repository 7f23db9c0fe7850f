package dev.plugai.core.identity.credentials;

import java.util.Objects;

/**
 * Whose credential it is: one user's own, or the operator's (server-wide, possibly shared with users).
 *
 * @param userId the owning user's id, or {@code null} for the operator
 */
public record CredentialOwner(String userId) {

    private static final CredentialOwner OPERATOR = new CredentialOwner(null);

    public CredentialOwner {
        if (userId != null && (userId.isBlank() || userId.length() > 40)) {
            throw new IllegalArgumentException("A user id must be 1 to 40 characters");
        }
    }

    /** The operator: credentials configured for the whole server. */
    public static CredentialOwner operator() {
        return OPERATOR;
    }

    /** The user with id {@code userId}. */
    public static CredentialOwner user(String userId) {
        return new CredentialOwner(Objects.requireNonNull(userId, "userId"));
    }

    public boolean isOperator() {
        return userId == null;
    }

    /** The stable text the table's uniqueness and the ciphertext's associated data are keyed on. */
    String storageKey() {
        return isOperator() ? "operator" : "user:" + userId;
    }

    @Override
    public String toString() {
        return isOperator() ? "operator" : "user " + userId;
    }
}
