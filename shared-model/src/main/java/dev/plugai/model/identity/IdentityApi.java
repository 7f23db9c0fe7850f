package dev.plugai.model.identity;

import dev.plugai.model.api.Preferences;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The identity part of the API contract: accounts, login, tokens, invites, access rules and audit
 * events. Requests carry only what the caller may set; responses never carry secrets except the one
 * time a token or invite code is created.
 */
public final class IdentityApi {

    private IdentityApi() {
    }

    /** {@code POST /v1/auth/login}. */
    public record LoginRequest(String username, char[] password) {
        @Override
        public String toString() {
            return "LoginRequest[username=" + username + "]";
        }
    }

    /** {@code POST /v1/auth/register}: an invite code and the new account's details. */
    public record RegisterRequest(String code, String username, char[] password, String displayName) {
        @Override
        public String toString() {
            return "RegisterRequest[username=" + username + "]";
        }
    }

    /** An account as shown to its owner and to admins. */
    public record UserView(String id, String username, String displayName, String role, boolean disabled,
                           Preferences preferences, Instant createdAt, Instant updatedAt) {
    }

    /**
     * The caller: {@code GET /v1/me}, and the answer to login and registration.
     *
     * @param user       the account
     * @param auth       {@code session} or {@code token}
     * @param scopes     what this caller may do
     * @param csrfToken  for session callers: the value to send in {@code X-PlugAI-CSRF} with every change
     * @param expiresAt  for session callers: when the session ends at the latest
     */
    public record MeView(UserView user, String auth, List<String> scopes, String csrfToken, Instant expiresAt) {
    }

    /** {@code PATCH /v1/me}: fields left out stay as they are. */
    public record ProfileUpdate(String displayName, Preferences preferences) {
    }

    /** {@code POST /v1/me/password}. */
    public record PasswordChange(char[] currentPassword, char[] newPassword) {
        @Override
        public String toString() {
            return "PasswordChange[]";
        }
    }

    /**
     * {@code POST /v1/me/tokens} (and {@code /v1/admin/users/{id}/tokens}).
     *
     * @param name          a label, e.g. the script that will use it
     * @param scopes        what it may do; default {@code models:read generate sessions}
     * @param models        model ids it is limited to; default any model the owner may use
     * @param expiresInDays days until it stops working; default never
     */
    public record TokenRequest(String name, List<String> scopes, List<String> models, Integer expiresInDays) {
    }

    /** A token as listed: never its secret. */
    public record TokenView(String id, String name, List<String> scopes, List<String> models, Instant createdAt,
                            Instant expiresAt, Instant lastUsedAt, Instant revokedAt) {
    }

    /** A token just created: {@code token} is shown this once. */
    public record CreatedTokenView(String token, TokenView info) {
    }

    /** {@code POST /v1/admin/invites}. */
    public record InviteRequest(String role, String note, Integer validForHours) {
    }

    /** An invite as listed: never its code. */
    public record InviteView(String id, String role, String note, String status, String createdBy, Instant createdAt,
                             Instant expiresAt, Instant usedAt, String usedBy, Instant revokedAt) {
    }

    /** An invite just created: {@code code} and {@code registrationPath} are shown this once. */
    public record CreatedInviteView(String code, String registrationPath, InviteView info) {
    }

    /** {@code PATCH /v1/admin/users/{id}}: fields left out stay as they are. */
    public record UserUpdate(String role, Boolean disabled) {
    }

    /** {@code POST /v1/admin/users/{id}/password}: an admin sets a new password. */
    public record PasswordReset(char[] newPassword) {
        @Override
        public String toString() {
            return "PasswordReset[]";
        }
    }

    /** A model's access rule (request and response of {@code /v1/admin/access-rules/{model}}). */
    public record AccessRuleView(String model, List<String> allowedRoles, List<String> allowedUsers,
                                 Instant updatedAt, String updatedBy) {
    }

    /** {@code PUT /v1/admin/access-rules/{model}}. */
    public record AccessRuleRequest(List<String> allowedRoles, List<String> allowedUsers) {
    }

    /** One audit log line. */
    public record AuditEventView(long id, Instant occurredAt, String actor, String action, String target, String detail,
                                 String requestId) {
    }

    /** A page of the audit log, newest first; {@code nextBeforeId} fetches the next page, null at the end. */
    public record AuditPage(List<AuditEventView> items, Long nextBeforeId) {
    }

    /**
     * A stored provider credential as shown: masked, never the secret.
     *
     * @param provider        the provider id, e.g. {@code openai}
     * @param type            api_key, bearer_token, basic_auth, oauth2_client_credentials,
     *                        google_service_account or azure_openai
     * @param masked          display values: identifiers and URLs in clear, secrets masked ({@code sk-…a1b2})
     * @param sharedWithUsers operator credentials only: whether other users' requests may use it
     */
    public record CredentialView(String provider, String type, Map<String, String> masked, Boolean sharedWithUsers,
                                 Instant createdAt, Instant updatedAt) {
    }
}
