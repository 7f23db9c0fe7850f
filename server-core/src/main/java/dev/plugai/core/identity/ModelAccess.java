package dev.plugai.core.identity;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.plugai.core.db.Database;
import dev.plugai.core.errors.PlugAiException;
import dev.plugai.core.json.JsonMappers;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Which users may use which models. By default every user may use every model; a rule restricts one
 * model to listed roles and/or listed users. Admins may use every model. A token limited to models is
 * checked on top (see {@link Caller#tokenAllowsModel}). Listings and generation both ask
 * {@link #permits}, so a model a caller may not use is simply not there for them (404, not 403).
 *
 * <p>Thread-safe.
 */
public final class ModelAccess {

    private static final ObjectMapper JSON = JsonMappers.create();

    private final Database database;
    private final Clock clock;

    public ModelAccess(Database database, Clock clock) {
        this.database = database;
        this.clock = clock;
    }

    /** Whether {@code caller} may use {@code modelId}. */
    public boolean permits(Caller caller, String modelId) {
        if (!caller.tokenAllowsModel(modelId)) {
            return false;
        }
        if (caller.user().isAdmin()) {
            return true;
        }
        return find(modelId).map(rule -> rule.allows(caller.user())).orElse(true);
    }

    public Optional<AccessRule> find(String modelId) {
        return database.read(handle -> handle.createQuery(
                        "SELECT model_id, allowed_roles, allowed_users, updated_at, updated_by FROM model_access_rule "
                                + "WHERE model_id = :modelId")
                .bind("modelId", modelId).map((rs, ctx) -> map(rs)).findOne());
    }

    public List<AccessRule> list() {
        return database.read(handle -> handle.createQuery(
                        "SELECT model_id, allowed_roles, allowed_users, updated_at, updated_by FROM model_access_rule "
                                + "ORDER BY model_id")
                .map((rs, ctx) -> map(rs)).list());
    }

    /** Creates or replaces the rule of a model. */
    public AccessRule put(String modelId, Set<Role> allowedRoles, Set<String> allowedUserIds, String updatedBy) {
        String model = modelId == null ? "" : modelId.strip();
        if (model.isEmpty() || model.length() > 300) {
            throw new PlugAiException.InvalidRequest("A rule needs a model id of 1 to 300 characters.");
        }
        Instant now = clock.instant();
        AccessRule rule = new AccessRule(model, EnumSet.copyOf(allowedRoles.isEmpty() ? EnumSet.noneOf(Role.class)
                : allowedRoles), new TreeSet<>(allowedUserIds), now, updatedBy);
        database.write(handle -> {
            for (String userId : allowedUserIds) {
                boolean exists = handle.createQuery("SELECT COUNT(*) FROM app_user WHERE id = :id").bind("id", userId)
                        .mapTo(Long.class).one() > 0;
                if (!exists) {
                    throw new PlugAiException.InvalidRequest("No user with id " + userId + ".");
                }
            }
            return handle.createUpdate("""
                            INSERT INTO model_access_rule (model_id, allowed_roles, allowed_users, updated_at, updated_by)
                            VALUES (:model, :roles, :users, :now, :by)
                            ON CONFLICT (model_id) DO UPDATE SET allowed_roles = excluded.allowed_roles,
                                allowed_users = excluded.allowed_users, updated_at = excluded.updated_at,
                                updated_by = excluded.updated_by""")
                    .bind("model", model)
                    .bind("roles", rule.allowedRoles().stream().map(Role::wireName).sorted().collect(Collectors.joining(" ")))
                    .bind("users", toJson(rule.allowedUserIds())).bind("now", now.toString()).bind("by", updatedBy)
                    .execute();
        });
        return rule;
    }

    /** Removes a model's rule, opening it to everyone again. */
    public void remove(String modelId) {
        int removed = database.write(handle -> handle.createUpdate("DELETE FROM model_access_rule WHERE model_id = :model")
                .bind("model", modelId).execute());
        if (removed == 0) {
            throw new PlugAiException.NotFound("No access rule for model " + modelId + ".");
        }
    }

    private static AccessRule map(ResultSet rs) throws SQLException {
        Set<Role> roles = Arrays.stream(rs.getString("allowed_roles").split(" ")).filter(part -> !part.isEmpty())
                .map(Role::fromWire).collect(Collectors.toCollection(() -> EnumSet.noneOf(Role.class)));
        try {
            Set<String> users = new TreeSet<>(JSON.readValue(rs.getString("allowed_users"),
                    new TypeReference<List<String>>() { }));
            return new AccessRule(rs.getString("model_id"), roles, users, Instant.parse(rs.getString("updated_at")),
                    rs.getString("updated_by"));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Stored access rule is not valid JSON", e);
        }
    }

    private static String toJson(Set<String> users) {
        try {
            return JSON.writeValueAsString(users);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A model's restriction: only these roles and these users (admins always).
     *
     * @param modelId        the model
     * @param allowedRoles   roles whose members may use it
     * @param allowedUserIds users who may use it whatever their role
     * @param updatedAt      when the rule last changed
     * @param updatedBy      who changed it
     */
    public record AccessRule(String modelId, Set<Role> allowedRoles, Set<String> allowedUserIds, Instant updatedAt,
                             String updatedBy) {

        boolean allows(User user) {
            return allowedRoles.contains(user.role()) || allowedUserIds.contains(user.id());
        }
    }
}
