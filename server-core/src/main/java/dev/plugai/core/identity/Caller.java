package dev.plugai.core.identity;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Who is making a request, and with what rights: a user through a browser session (every scope the
 * role allows, CSRF token required for changes), through an API token (its scopes, optionally only
 * some models) or through a JWT from the configured external OIDC issuer (every scope the role allows).
 *
 * @param user          the account
 * @param method        how they authenticated
 * @param scopes        what this request may do
 * @param allowedModels the token's model limit, if any
 * @param tokenId       the token's public id, for token callers
 * @param csrfToken     the session's CSRF token, for session callers
 */
public record Caller(User user, Method method, Set<Scope> scopes, Optional<List<String>> allowedModels,
                     Optional<String> tokenId, Optional<String> csrfToken) {

    /** How a caller authenticated. */
    public enum Method { SESSION, TOKEN, OIDC }

    public boolean has(Scope scope) {
        return scopes.contains(scope);
    }

    /** An admin acting with admin rights (a token needs the admin scope too). */
    public boolean isAdmin() {
        return user.isAdmin() && scopes.contains(Scope.ADMIN);
    }

    /** Whether a token limit (if any) lets this caller use the model; access rules are checked separately. */
    public boolean tokenAllowsModel(String modelId) {
        return allowedModels.map(models -> models.contains(modelId)).orElse(true);
    }

    /** A short name for logs and the audit log. */
    public String actor() {
        return user.username() + tokenId.map(id -> " (token " + id + ")").orElse("");
    }
}
