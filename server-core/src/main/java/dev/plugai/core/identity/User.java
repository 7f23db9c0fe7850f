package dev.plugai.core.identity;

import dev.plugai.model.api.Preferences;

import java.time.Instant;

/**
 * A user account as the rest of the system sees it (never with its password hash).
 *
 * @param id          stable id, e.g. {@code usr_3kT9...}
 * @param username    the login name, lower case
 * @param displayName the name shown in the UI
 * @param role        admin or user
 * @param disabled    a disabled user cannot log in, and their sessions and tokens stop working at once
 * @param preferences profile preferences
 * @param createdAt   when the account was created
 * @param updatedAt   when it last changed
 */
public record User(String id, String username, String displayName, Role role, boolean disabled,
                   Preferences preferences, Instant createdAt, Instant updatedAt) {

    public boolean isAdmin() {
        return role == Role.ADMIN;
    }
}
