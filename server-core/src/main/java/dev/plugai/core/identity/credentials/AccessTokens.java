package dev.plugai.core.identity.credentials;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.plugai.core.errors.ErrorKind;
import dev.plugai.core.errors.PlugAiException;
import dev.plugai.core.identity.credentials.CredentialSecret.GoogleServiceAccount;
import dev.plugai.core.identity.credentials.CredentialSecret.OAuth2ClientCredentials;
import dev.plugai.core.json.JsonMappers;
import okhttp3.Credentials;
import okhttp3.FormBody;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Obtains and caches access tokens for credentials that are not sent as they are: OAuth2 client credentials
 * (RFC 6749 §4.4) and Google service accounts (a signed JWT, RFC 7523). A token is reused until shortly
 * before it expires; concurrent callers for the same credential share one fetch.
 *
 * <p>Thread-safe.
 */
public final class AccessTokens {

    /** Google's scope for Vertex AI and the other Cloud APIs. */
    public static final List<String> GOOGLE_CLOUD_SCOPES = List.of("https://www.googleapis.com/auth/cloud-platform");

    static final Duration REFRESH_MARGIN = Duration.ofSeconds(60);
    // RFC 6749 makes expires_in optional; without it a token is used briefly, then fetched again.
    static final Duration LIFETIME_WHEN_UNSTATED = Duration.ofMinutes(5);

    private static final ObjectMapper JSON = JsonMappers.create();
    private static final Pattern OAUTH_ERROR_CODE = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

    private final OkHttpClient http;
    private final Clock clock;
    private final ConcurrentHashMap<CacheKey, Slot> slots = new ConcurrentHashMap<>();

    public AccessTokens(OkHttpClient http, Clock clock) {
        this.http = Objects.requireNonNull(http, "http");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** A token for an OAuth2 client, fetched with the client credentials grant when none is cached. */
    public AccessToken token(OAuth2ClientCredentials client) {
        return cached(new CacheKey(client, client.scopes()), () -> fetch(client));
    }

    /** A token for a Google service account with {@code scopes}, e.g. {@link #GOOGLE_CLOUD_SCOPES}. */
    public AccessToken token(GoogleServiceAccount account, List<String> scopes) {
        List<String> requested = List.copyOf(scopes);
        return cached(new CacheKey(account, requested), () -> fetch(account, requested));
    }

    /** Drops cached tokens for {@code secret}, e.g. after the provider rejected one. */
    public void forget(CredentialSecret secret) {
        slots.keySet().removeIf(key -> key.secret().equals(secret));
    }

    private AccessToken cached(CacheKey key, Supplier<Cached> fetcher) {
        Slot slot = slots.computeIfAbsent(key, unused -> {
            dropExpired();
            return new Slot();
        });
        Cached current = slot.cached;
        if (current != null && current.isFresh(clock.instant())) {
            return current.token();
        }
        slot.lock.lock();
        try {
            current = slot.cached;
            if (current != null && current.isFresh(clock.instant())) {
                return current.token();
            }
            Cached fetched = fetcher.get();
            slot.cached = fetched;
            return fetched.token();
        } finally {
            slot.lock.unlock();
        }
    }

    private void dropExpired() {
        Instant now = clock.instant();
        slots.values().removeIf(slot -> {
            Cached cached = slot.cached;
            return cached != null && !now.isBefore(cached.token().expiresAt());
        });
    }

    private Cached fetch(OAuth2ClientCredentials client) {
        FormBody.Builder form = new FormBody.Builder().add("grant_type", "client_credentials");
        if (!client.scopes().isEmpty()) {
            form.add("scope", String.join(" ", client.scopes()));
        }
        // RFC 6749 §2.3.1: id and secret are form-encoded before they become the Basic credentials.
        String basic = Credentials.basic(formEncode(client.clientId()), formEncode(client.clientSecret()),
                StandardCharsets.UTF_8);
        return exchange(client.tokenUrl(), form.build(), basic);
    }

    private Cached fetch(GoogleServiceAccount account, List<String> scopes) {
        String assertion = ServiceAccountJwt.assertion(account, scopes, clock.instant());
        FormBody form = new FormBody.Builder()
                .add("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer")
                .add("assertion", assertion)
                .build();
        return exchange(account.tokenUri(), form, null);
    }

    private Cached exchange(String tokenUrl, FormBody form, String authorization) {
        HttpUrl url = HttpUrl.get(tokenUrl);
        Request.Builder request = new Request.Builder().url(url).post(form).header("Accept", "application/json");
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        Instant requestedAt = clock.instant();
        try (Response response = http.newCall(request.build()).execute()) {
            String body = response.body().string();
            if (!response.isSuccessful()) {
                throw failure(url, "HTTP " + response.code() + oauthErrorCode(body));
            }
            return parse(url, response.code(), body, requestedAt);
        } catch (InterruptedIOException e) {
            throw new PlugAiException.Unavailable(ErrorKind.UNAVAILABLE,
                    "Fetching an access token from " + url.host() + " timed out.", e);
        } catch (IOException e) {
            throw new PlugAiException.Unavailable(ErrorKind.UNAVAILABLE,
                    "Fetching an access token from " + url.host() + " failed: " + e.getClass().getSimpleName() + ".",
                    e);
        }
    }

    private Cached parse(HttpUrl url, int status, String body, Instant requestedAt) {
        JsonNode json;
        try {
            json = JSON.readTree(body);
        } catch (IOException e) {
            // Jackson's message would quote the body, which may hold the token.
            throw failure(url, "HTTP " + status + " with a body that is not JSON");
        }
        JsonNode token = json == null ? null : json.get("access_token");
        if (token == null || !token.isTextual() || token.asText().isBlank()) {
            throw failure(url, "HTTP " + status + " without an access_token");
        }
        JsonNode expiresIn = json.get("expires_in");
        Duration lifetime = LIFETIME_WHEN_UNSTATED;
        if (expiresIn != null && !expiresIn.isNull()) {
            if (!expiresIn.canConvertToLong() && !(expiresIn.isTextual() && expiresIn.asText().matches("\\d{1,10}"))) {
                throw failure(url, "HTTP " + status + " with an expires_in that is not a number of seconds");
            }
            lifetime = Duration.ofSeconds(expiresIn.asLong());
        }
        String tokenType = json.path("token_type").asText("Bearer");
        Instant expiresAt = requestedAt.plus(lifetime);
        // Short-lived tokens are refreshed halfway through instead of never being fresh at all.
        Duration margin = REFRESH_MARGIN.compareTo(lifetime.dividedBy(2)) < 0 ? REFRESH_MARGIN : lifetime.dividedBy(2);
        return new Cached(new AccessToken(token.asText(), tokenType, expiresAt), expiresAt.minus(margin));
    }

    private static PlugAiException failure(HttpUrl url, String what) {
        return new PlugAiException.Unavailable(ErrorKind.UNAVAILABLE,
                "Fetching an access token from " + url.host() + " failed: " + what + ".", null);
    }

    /** The RFC 6749 §5.2 {@code error} code when the body has a plausible one; nothing else of the body. */
    private static String oauthErrorCode(String body) {
        try {
            JsonNode error = JSON.readTree(body).path("error");
            return error.isTextual() && OAUTH_ERROR_CODE.matcher(error.asText()).matches()
                    ? " (" + error.asText() + ")" : "";
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    private static String formEncode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** Which credential, asking for which scopes. */
    private record CacheKey(CredentialSecret secret, List<String> scopes) {
    }

    private record Cached(AccessToken token, Instant refreshAt) {
        boolean isFresh(Instant now) {
            return now.isBefore(refreshAt);
        }
    }

    /** One credential's cached token and the lock that makes concurrent callers wait for one fetch. */
    private static final class Slot {
        final ReentrantLock lock = new ReentrantLock();
        volatile Cached cached;
    }
}
