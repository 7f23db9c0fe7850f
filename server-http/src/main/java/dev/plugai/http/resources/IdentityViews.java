package dev.plugai.http.resources;

import dev.plugai.core.audit.AuditEvent;
import dev.plugai.core.identity.ApiTokens;
import dev.plugai.core.identity.Invites;
import dev.plugai.core.identity.ModelAccess;
import dev.plugai.core.identity.Role;
import dev.plugai.core.identity.Scope;
import dev.plugai.core.identity.User;
import dev.plugai.model.identity.IdentityApi;

import java.time.Instant;
import java.util.List;
import java.util.Locale;

/** Domain objects of the identity feature as API records. */
final class IdentityViews {

    private IdentityViews() {
    }

    static IdentityApi.UserView user(User user) {
        return new IdentityApi.UserView(user.id(), user.username(), user.displayName(), user.role().wireName(),
                user.disabled(), user.preferences(), user.createdAt(), user.updatedAt());
    }

    static IdentityApi.TokenView token(ApiTokens.TokenInfo info) {
        return new IdentityApi.TokenView(info.id(), info.name(),
                info.scopes().stream().map(Scope::wireName).sorted().toList(), info.models().orElse(null),
                info.createdAt(), info.expiresAt().orElse(null), info.lastUsedAt().orElse(null),
                info.revokedAt().orElse(null));
    }

    static IdentityApi.InviteView invite(Invites.InviteInfo info, Instant now) {
        return new IdentityApi.InviteView(info.id(), info.role().wireName(), info.note(),
                info.status(now).name().toLowerCase(Locale.ROOT), info.createdBy(), info.createdAt(), info.expiresAt(),
                info.usedAt().orElse(null), info.usedBy().orElse(null), info.revokedAt().orElse(null));
    }

    static IdentityApi.AccessRuleView rule(ModelAccess.AccessRule rule) {
        return new IdentityApi.AccessRuleView(rule.modelId(),
                rule.allowedRoles().stream().map(Role::wireName).sorted().toList(),
                List.copyOf(rule.allowedUserIds()), rule.updatedAt(), rule.updatedBy());
    }

    static IdentityApi.AuditEventView audit(AuditEvent event) {
        return new IdentityApi.AuditEventView(event.id(), event.occurredAt(), event.actor(), event.action(),
                event.target(), event.detail(), event.requestId());
    }
}
