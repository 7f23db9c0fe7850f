package dev.plugai.core.identity;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import dev.plugai.core.db.Database;
import dev.plugai.core.errors.PlugAiException;
import dev.plugai.core.json.JsonMappers;
import dev.plugai.model.api.Preferences;
import org.jdbi.v3.core.Handle;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The user accounts: creation, lookup, role and status changes, passwords and profiles.
 *
 * <p>Thread-safe.
 */
public final class UserDirectory {

    private static final Pattern USERNAME = Pattern.compile("[a-z0-9][a-z0-9._-]{2,63}");
    private static final ObjectMapper PREFERENCES_JSON = JsonMappers.create()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);
    private static final String COLUMNS =
            "id, username, display_name, role, disabled, preferences, created_at, updated_at";

    private final Database database;
    private final PasswordHasher hasher;
    private final Clock clock;

    public UserDirectory(Database database, PasswordHasher hasher, Clock clock) {
        this.database = database;
        this.hasher = hasher;
        this.clock = clock;
    }

    /** The normalised form of a username (lower case, trimmed); throws when it is not acceptable. */
    public static String normalise(String username) {
        String normalised = username == null ? "" : username.strip().toLowerCase(Locale.ROOT);
        if (!USERNAME.matcher(normalised).matches()) {
            throw new PlugAiException.InvalidRequest("A username has 3 to 64 characters: letters, digits, '.', '_' "
                    + "or '-', starting with a letter or digit.");
        }
        return normalised;
    }

    /** Creates an account. Fails with a conflict when the username is taken. */
    public User create(String username, char[] password, Role role, String displayName) {
        NewAccount account = prepare(username, password, role, displayName);
        return database.write(handle -> insert(handle, account));
    }

    /**
     * Checks and hashes a new account's details outside any transaction (hashing is slow, and must not
     * hold the database's write lock).
     */
    NewAccount prepare(String username, char[] password, Role role, String displayName) {
        String name = normalise(username);
        PasswordPolicy.check(password, name);
        String shownName = displayName == null || displayName.isBlank() ? name : displayName.strip();
        if (shownName.length() > 200) {
            throw new PlugAiException.InvalidRequest("The display name must have at most 200 characters.");
        }
        return new NewAccount(name, hasher.hash(password), role, shownName);
    }

    /** Inserts a prepared account inside the caller's transaction. */
    User insert(Handle handle, NewAccount account) {
        if (findByUsername(handle, account.username()).isPresent()) {
            throw new PlugAiException.Conflict("The username '" + account.username() + "' is taken.");
        }
        Instant now = clock.instant();
        String id = SecretTokens.id("usr");
        handle.createUpdate("""
                        INSERT INTO app_user (id, username, display_name, role, password_hash, disabled, preferences,
                                              created_at, updated_at, password_changed_at)
                        VALUES (:id, :username, :displayName, :role, :hash, 0, :preferences, :now, :now, :now)""")
                .bind("id", id).bind("username", account.username()).bind("displayName", account.displayName())
                .bind("role", account.role().wireName()).bind("hash", account.passwordHash())
                .bind("preferences", toJson(Preferences.defaults())).bind("now", now.toString())
                .execute();
        return new User(id, account.username(), account.displayName(), account.role(), false, Preferences.defaults(),
                now, now);
    }

    /** A checked account whose password is already hashed. */
    record NewAccount(String username, String passwordHash, Role role, String displayName) {
    }

    public Optional<User> findById(String id) {
        return database.read(handle -> handle.createQuery("SELECT " + COLUMNS + " FROM app_user WHERE id = :id")
                .bind("id", id).map((rs, ctx) -> map(rs)).findOne());
    }

    public Optional<User> findByUsername(String username) {
        return database.read(handle -> findByUsername(handle, username.strip().toLowerCase(Locale.ROOT)));
    }

    private Optional<User> findByUsername(Handle handle, String normalised) {
        return handle.createQuery("SELECT " + COLUMNS + " FROM app_user WHERE username = :username")
                .bind("username", normalised).map((rs, ctx) -> map(rs)).findOne();
    }

    /** Every account, by username. */
    public List<User> list() {
        return database.read(handle -> handle.createQuery("SELECT " + COLUMNS + " FROM app_user ORDER BY username")
                .map((rs, ctx) -> map(rs)).list());
    }

    /** How many active admins exist (the last one cannot be demoted or disabled). */
    public long activeAdmins() {
        return database.read(handle -> handle.createQuery(
                "SELECT COUNT(*) FROM app_user WHERE role = 'admin' AND disabled = 0").mapTo(Long.class).one());
    }

    /** The stored password hash of an active or disabled user, for login. */
    Optional<String> passwordHash(String userId) {
        return database.read(handle -> handle.createQuery("SELECT password_hash FROM app_user WHERE id = :id")
                .bind("id", userId).mapTo(String.class).findOne());
    }

    /** Changes role and/or disabled state; refuses to leave the server without an active admin. */
    public User update(String userId, Optional<Role> role, Optional<Boolean> disabled) {
        return database.write(handle -> {
            User user = handle.createQuery("SELECT " + COLUMNS + " FROM app_user WHERE id = :id").bind("id", userId)
                    .map((rs, ctx) -> map(rs)).findOne()
                    .orElseThrow(() -> new PlugAiException.NotFound("No user with id " + userId + "."));
            Role newRole = role.orElse(user.role());
            boolean newDisabled = disabled.orElse(user.disabled());
            boolean losesAdmin = user.isAdmin() && !user.disabled() && (newRole != Role.ADMIN || newDisabled);
            if (losesAdmin && handle.createQuery("SELECT COUNT(*) FROM app_user WHERE role = 'admin' AND disabled = 0")
                    .mapTo(Long.class).one() <= 1) {
                throw new PlugAiException.Conflict("This is the last active admin; make another admin first.");
            }
            Instant now = clock.instant();
            handle.createUpdate("UPDATE app_user SET role = :role, disabled = :disabled, updated_at = :now WHERE id = :id")
                    .bind("role", newRole.wireName()).bind("disabled", newDisabled ? 1 : 0)
                    .bind("now", now.toString()).bind("id", userId).execute();
            if (newDisabled) {
                // Disabling takes effect at once: sessions end now, tokens are refused by the status check.
                handle.createUpdate("DELETE FROM login_session WHERE user_id = :id").bind("id", userId).execute();
            }
            return new User(user.id(), user.username(), user.displayName(), newRole, newDisabled,
                    user.preferences(), user.createdAt(), now);
        });
    }

    /** Sets a new password and ends every session of the user. */
    public void setPassword(String userId, char[] password) {
        User user = findById(userId).orElseThrow(() -> new PlugAiException.NotFound("No user with id " + userId + "."));
        PasswordPolicy.check(password, user.username());
        String hash = hasher.hash(password);
        database.write(handle -> {
            String now = clock.instant().toString();
            handle.createUpdate("UPDATE app_user SET password_hash = :hash, password_changed_at = :now, updated_at = :now "
                    + "WHERE id = :id").bind("hash", hash).bind("now", now).bind("id", userId).execute();
            return handle.createUpdate("DELETE FROM login_session WHERE user_id = :id").bind("id", userId).execute();
        });
    }

    /** Replaces the display name and/or preferences. */
    public User updateProfile(String userId, Optional<String> displayName, Optional<Preferences> preferences) {
        return database.write(handle -> {
            User user = handle.createQuery("SELECT " + COLUMNS + " FROM app_user WHERE id = :id").bind("id", userId)
                    .map((rs, ctx) -> map(rs)).findOne()
                    .orElseThrow(() -> new PlugAiException.NotFound("No user with id " + userId + "."));
            String name = displayName.map(String::strip).filter(value -> !value.isEmpty()).orElse(user.displayName());
            if (name.length() > 200) {
                throw new PlugAiException.InvalidRequest("The display name must have at most 200 characters.");
            }
            Preferences newPreferences = preferences.orElse(user.preferences());
            Instant now = clock.instant();
            handle.createUpdate("UPDATE app_user SET display_name = :name, preferences = :preferences, updated_at = :now "
                            + "WHERE id = :id")
                    .bind("name", name).bind("preferences", toJson(newPreferences)).bind("now", now.toString())
                    .bind("id", userId).execute();
            return new User(user.id(), user.username(), name, user.role(), user.disabled(), newPreferences,
                    user.createdAt(), now);
        });
    }

    private static User map(ResultSet rs) throws SQLException {
        return new User(rs.getString("id"), rs.getString("username"), rs.getString("display_name"),
                Role.fromWire(rs.getString("role")), rs.getInt("disabled") == 1, fromJson(rs.getString("preferences")),
                Instant.parse(rs.getString("created_at")), Instant.parse(rs.getString("updated_at")));
    }

    private static String toJson(Preferences preferences) {
        try {
            return PREFERENCES_JSON.writeValueAsString(preferences);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Preferences fromJson(String json) {
        try {
            return PREFERENCES_JSON.readValue(json, Preferences.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Stored preferences are not valid JSON", e);
        }
    }
}
