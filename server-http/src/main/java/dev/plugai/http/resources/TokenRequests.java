package dev.plugai.http.resources;

import dev.plugai.core.errors.PlugAiException;
import dev.plugai.core.identity.ApiTokens;
import dev.plugai.core.identity.Scope;
import dev.plugai.core.identity.User;
import dev.plugai.model.identity.IdentityApi;

import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Turns a token request into a token for its owner: shared by the self-service and the admin routes. */
final class TokenRequests {

    private TokenRequests() {
    }

    static ApiTokens.CreatedToken create(ApiTokens tokens, User owner, IdentityApi.TokenRequest request, Clock clock) {
        Set<Scope> scopes = EnumSet.noneOf(Scope.class);
        for (String scope : Optional.ofNullable(request.scopes()).orElse(List.of())) {
            scopes.add(Scope.fromWire(scope));
        }
        Integer days = request.expiresInDays();
        if (days != null && (days < 1 || days > 3650)) {
            throw new PlugAiException.InvalidRequest("expires_in_days must be between 1 and 3650.");
        }
        return tokens.create(owner, request.name(), scopes, Optional.ofNullable(request.models()),
                Optional.ofNullable(days).map(value -> clock.instant().plus(Duration.ofDays(value))));
    }
}
