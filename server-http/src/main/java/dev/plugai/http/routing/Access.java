package dev.plugai.http.routing;

import dev.plugai.core.identity.Scope;

import java.util.Optional;

/**
 * Who may call a route: anyone, any authenticated caller, a caller holding a scope, or an admin.
 * Declared with every route, so no route can be added without deciding.
 *
 * @param authenticated whether credentials are required
 * @param scope         the scope required, if any
 * @param admin         whether the caller must be an admin acting with the admin scope
 */
public record Access(boolean authenticated, Optional<Scope> scope, boolean admin) {

    /** No credentials needed. */
    public static final Access PUBLIC = new Access(false, Optional.empty(), false);
    /** Any valid session or token. */
    public static final Access AUTHENTICATED = new Access(true, Optional.empty(), false);
    /** Admins only. */
    public static final Access ADMIN = new Access(true, Optional.of(Scope.ADMIN), true);

    /** Callers whose session or token holds {@code scope}. */
    public static Access scope(Scope scope) {
        return new Access(true, Optional.of(scope), false);
    }
}
