package dev.plugai.core.identity;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.plugai.core.db.Database;
import dev.plugai.core.errors.PlugAiException;
import dev.plugai.core.json.JsonMappers;

import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.zip.CRC32;

/**
 * Personal API tokens: {@code plugai_<public id>_<secret><checksum>}. The prefix and the CRC-32
 * checksum let secret scanners recognise a PlugAI token and reject a mistyped one without a database
 * look-up. A token is shown once; only its SHA-256 is stored and compared in constant time.
 *
 * <p>Thread-safe.
 */
public final class ApiTokens {

    public static final String PREFIX = "plugai_";
    private static final int ID_LENGTH = 12;
    private static final int SECRET_LENGTH = 32;
    private static final int CHECKSUM_LENGTH = 6;
    private static final Pattern FORMAT = Pattern.compile(
            "plugai_([0-9A-Za-z]{" + ID_LENGTH + "})_([0-9A-Za-z]{" + SECRET_LENGTH + "})([0-9A-Za-z]{" + CHECKSUM_LENGTH + "})");
    private static final Duration TOUCH_INTERVAL = Duration.ofMinutes(1);
    private static final ObjectMapper JSON = JsonMappers.create();
    private static final String COLUMNS =
            "id, user_id, name, scopes, models, created_at, expires_at, last_used_at, revoked_at";

    private final Database database;
    private final Clock clock;

    public ApiTokens(Database database, Clock clock) {
        this.database = database;
        this.clock = clock;
    }

    /**
     * Creates a token for {@code owner}. Scopes beyond the owner's role are refused.
     *
     * @param scopes    empty for {@link Scope#defaults()}
     * @param models    model ids the token is limited to, or empty for any model the owner may use
     * @param expiresAt when it stops working, or empty for never
     */
    public CreatedToken create(User owner, String name, Set<Scope> scopes, Optional<List<String>> models,
                               Optional<Instant> expiresAt) {
        String label = name == null ? "" : name.strip();
        if (label.isEmpty() || label.length() > 100) {
            throw new PlugAiException.InvalidRequest("A token needs a name of 1 to 100 characters.");
        }
        Set<Scope> granted = scopes.isEmpty() ? Scope.defaults() : EnumSet.copyOf(scopes);
        Set<Scope> beyond = EnumSet.copyOf(granted);
        beyond.removeAll(Scope.allowedFor(owner.role()));
        if (!beyond.isEmpty()) {
            throw new PlugAiException.Forbidden("A " + owner.role().wireName() + " cannot create a token with scope "
                    + beyond.stream().map(Scope::wireName).collect(Collectors.joining(", ")) + ".");
        }
        Instant now = clock.instant();
        if (expiresAt.isPresent() && !expiresAt.get().isAfter(now)) {
            throw new PlugAiException.InvalidRequest("The expiry must be in the future.");
        }
        if (models.isPresent() && (models.get().isEmpty() || models.get().size() > 200)) {
            throw new PlugAiException.InvalidRequest("A token's model list needs 1 to 200 model ids (or none at all).");
        }
        String id = SecretTokens.base62(ID_LENGTH);
        String body = PREFIX + id + "_" + SecretTokens.base62(SECRET_LENGTH);
        String token = body + checksum(body);
        TokenInfo info = new TokenInfo(id, owner.id(), label, granted, models.map(List::copyOf), now, expiresAt,
                Optional.empty(), Optional.empty());
        database.write(handle -> handle.createUpdate("""
                        INSERT INTO api_token (id, user_id, name, secret_hash, scopes, models, created_at, expires_at)
                        VALUES (:id, :userId, :name, :hash, :scopes, :models, :createdAt, :expiresAt)""")
                .bind("id", id).bind("userId", owner.id()).bind("name", label)
                .bind("hash", SecretTokens.sha256Hex(token)).bind("scopes", wire(granted))
                .bind("models", models.map(ApiTokens::toJson).orElse(null))
                .bind("createdAt", now.toString()).bind("expiresAt", expiresAt.map(Instant::toString).orElse(null))
                .execute());
        return new CreatedToken(token, info);
    }

    /** Whether the text has the shape and checksum of a PlugAI token (no database look-up). */
    public static boolean looksLikeToken(String text) {
        if (text == null) {
            return false;
        }
        Matcher matcher = FORMAT.matcher(text);
        return matcher.matches() && checksum(PREFIX + matcher.group(1) + "_" + matcher.group(2)).equals(matcher.group(3));
    }

    /** The live token this text is, recording its use; empty when malformed, unknown, revoked or expired. */
    public Optional<TokenInfo> authenticate(String token) {
        if (!looksLikeToken(token)) {
            return Optional.empty();
        }
        String id = token.substring(PREFIX.length(), PREFIX.length() + ID_LENGTH);
        String presentedHash = SecretTokens.sha256Hex(token);
        Optional<StoredToken> stored = database.read(handle -> handle.createQuery(
                        "SELECT " + COLUMNS + ", secret_hash FROM api_token WHERE id = :id")
                .bind("id", id).map((rs, ctx) -> new StoredToken(map(rs), rs.getString("secret_hash"))).findOne());
        if (stored.isEmpty() || !SecretTokens.sameDigest(stored.get().secretHash(), presentedHash)) {
            return Optional.empty();
        }
        TokenInfo info = stored.get().info();
        Instant now = clock.instant();
        if (info.revokedAt().isPresent() || info.expiresAt().map(expiry -> !now.isBefore(expiry)).orElse(false)) {
            return Optional.empty();
        }
        if (info.lastUsedAt().map(last -> Duration.between(last, now).compareTo(TOUCH_INTERVAL) > 0).orElse(true)) {
            database.write(handle -> handle.createUpdate("UPDATE api_token SET last_used_at = :now WHERE id = :id")
                    .bind("now", now.toString()).bind("id", id).execute());
        }
        return Optional.of(info);
    }

    /** The user's tokens, newest first, revoked ones included. */
    public List<TokenInfo> list(String userId) {
        return database.read(handle -> handle.createQuery(
                        "SELECT " + COLUMNS + " FROM api_token WHERE user_id = :userId ORDER BY created_at DESC, id")
                .bind("userId", userId).map((rs, ctx) -> map(rs)).list());
    }

    /** Revokes one of the user's tokens; 404 when the user has no such token. */
    public TokenInfo revoke(String userId, String tokenId) {
        return database.write(handle -> {
            TokenInfo info = handle.createQuery("SELECT " + COLUMNS + " FROM api_token WHERE id = :id AND user_id = :userId")
                    .bind("id", tokenId).bind("userId", userId).map((rs, ctx) -> map(rs)).findOne()
                    .orElseThrow(() -> new PlugAiException.NotFound("No token with id " + tokenId + "."));
            if (info.revokedAt().isPresent()) {
                return info;
            }
            Instant now = clock.instant();
            handle.createUpdate("UPDATE api_token SET revoked_at = :now WHERE id = :id")
                    .bind("now", now.toString()).bind("id", tokenId).execute();
            return new TokenInfo(info.id(), info.userId(), info.name(), info.scopes(), info.models(), info.createdAt(),
                    info.expiresAt(), info.lastUsedAt(), Optional.of(now));
        });
    }

    static String checksum(String body) {
        CRC32 crc = new CRC32();
        crc.update(body.getBytes(StandardCharsets.US_ASCII));
        long value = crc.getValue();
        char[] chars = new char[CHECKSUM_LENGTH];
        for (int i = CHECKSUM_LENGTH - 1; i >= 0; i--) {
            chars[i] = SecretTokens.base62Char((int) (value % 62));
            value /= 62;
        }
        return new String(chars);
    }

    private static String wire(Set<Scope> scopes) {
        return scopes.stream().map(Scope::wireName).sorted().collect(Collectors.joining(" "));
    }

    private static TokenInfo map(ResultSet rs) throws SQLException {
        Set<Scope> scopes = Arrays.stream(rs.getString("scopes").split(" ")).filter(part -> !part.isEmpty())
                .map(Scope::fromWire).collect(Collectors.toCollection(() -> EnumSet.noneOf(Scope.class)));
        return new TokenInfo(rs.getString("id"), rs.getString("user_id"), rs.getString("name"), scopes,
                Optional.ofNullable(rs.getString("models")).map(ApiTokens::fromJson),
                Instant.parse(rs.getString("created_at")), instant(rs, "expires_at"), instant(rs, "last_used_at"),
                instant(rs, "revoked_at"));
    }

    private static Optional<Instant> instant(ResultSet rs, String column) throws SQLException {
        return Optional.ofNullable(rs.getString(column)).map(Instant::parse);
    }

    private static String toJson(List<String> models) {
        try {
            return JSON.writeValueAsString(new LinkedHashSet<>(models));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> fromJson(String json) {
        try {
            return JSON.readValue(json, new TypeReference<List<String>>() { });
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Stored token models are not valid JSON", e);
        }
    }

    private record StoredToken(TokenInfo info, String secretHash) {
    }

    /** What is known about a token; never its secret. */
    public record TokenInfo(String id, String userId, String name, Set<Scope> scopes, Optional<List<String>> models,
                            Instant createdAt, Optional<Instant> expiresAt, Optional<Instant> lastUsedAt,
                            Optional<Instant> revokedAt) {
    }

    /** A token just made: the secret {@code token} is shown this once. */
    public record CreatedToken(String token, TokenInfo info) {
        @Override
        public String toString() {
            return "CreatedToken[" + info + "]";
        }
    }
}
