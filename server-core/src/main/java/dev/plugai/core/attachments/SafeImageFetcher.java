package dev.plugai.core.attachments;

import dev.plugai.core.errors.PlugAiException.InvalidRequest;
import okhttp3.Dns;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.Buffer;
import okio.BufferedSource;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetAddress;
import java.net.Proxy;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fetches a prompt's image attachment by URL without letting the URL reach the server's own network (SSRF).
 *
 * <p>Each hop's host is resolved once, every address is checked against the {@link AddressPolicy}, and the
 * connection goes to exactly those addresses: hosts that are IP literals are rewritten to the checked address,
 * host names get a {@link Dns} that answers only with it, so a second lookup (DNS rebinding) cannot happen.
 * Redirects are followed by hand, at most {@value #MAX_REDIRECTS}, each re-checked. Thread-safe.
 */
public final class SafeImageFetcher {

    static final int MAX_REDIRECTS = 3;

    private static final Pattern SCHEME = Pattern.compile("^([a-zA-Z][a-zA-Z0-9+.-]*):");
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");
    private static final int READ_CHUNK = 8192;

    private final OkHttpClient base;
    private final AddressPolicy policy;
    private final long maxBytes;
    private final Duration deadline;
    private final HostResolver resolver;

    public SafeImageFetcher(OkHttpClient base, AddressPolicy policy, long maxBytes, Duration deadline) {
        this(base, policy, maxBytes, deadline, HostResolver.system());
    }

    SafeImageFetcher(OkHttpClient base, AddressPolicy policy, long maxBytes, Duration deadline,
                     HostResolver resolver) {
        if (maxBytes <= 0 || deadline.isNegative() || deadline.isZero()) {
            throw new IllegalArgumentException("maxBytes and deadline must be positive");
        }
        this.base = Objects.requireNonNull(base, "base");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.maxBytes = maxBytes;
        this.deadline = deadline;
        this.resolver = Objects.requireNonNull(resolver, "resolver");
    }

    /**
     * Fetches {@code url} and returns it as a checked image.
     *
     * @throws InvalidRequest when the URL, an address it leads to, the size, the time or the content is refused
     */
    public FetchedImage fetch(String url) {
        long start = System.nanoTime();
        HttpUrl current = parse(url);
        for (int redirects = 0; ; redirects++) {
            Target target = check(current);
            Duration left = deadline.minusNanos(System.nanoTime() - start);
            if (left.isNegative() || left.isZero()) {
                throw tooSlow();
            }
            try (Response response = client(target, left).newCall(new Request.Builder().url(target.url()).build())
                    .execute()) {
                if (response.isRedirect()) {
                    current = redirectTarget(target.url(), response, redirects);
                    continue;
                }
                if (!response.isSuccessful()) {
                    throw new InvalidRequest("the image URL answered HTTP " + response.code());
                }
                return image(readCapped(response.body(), maxBytes), target.url().toString());
            } catch (InterruptedIOException e) {
                throw tooSlow();
            } catch (IOException e) {
                throw new InvalidRequest("the image could not be fetched: the connection failed");
            }
        }
    }

    /**
     * Decodes an inline attachment, either a {@code data:image/...;base64,...} URL or bare base64, and checks
     * that it is an image by its bytes (the declared media type is ignored).
     *
     * @throws InvalidRequest when the data is not base64, larger than {@code maxBytes} or not an image
     */
    public static FetchedImage decodeBase64(String data, long maxBytes) {
        String payload = Objects.requireNonNull(data, "data").strip();
        if (payload.regionMatches(true, 0, "data:", 0, 5)) {
            int comma = payload.indexOf(',');
            if (comma < 0 || !payload.substring(5, comma).toLowerCase(Locale.ROOT).endsWith(";base64")) {
                throw new InvalidRequest("an inline image must be base64 (data:image/...;base64,...)");
            }
            payload = payload.substring(comma + 1);
        }
        payload = WHITESPACE.matcher(payload).replaceAll("");
        // Checked before decoding, so an oversized attachment never costs a buffer of its decoded size.
        if ((long) payload.length() / 4 * 3 > maxBytes + 3) {
            throw tooLarge(maxBytes);
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(payload);
        } catch (IllegalArgumentException e) {
            throw new InvalidRequest("the inline image is not valid base64");
        }
        if (bytes.length > maxBytes) {
            throw tooLarge(maxBytes);
        }
        return image(bytes, null);
    }

    private static HttpUrl parse(String url) {
        HttpUrl parsed = url == null ? null : HttpUrl.parse(url.strip());
        if (parsed == null) {
            Matcher scheme = SCHEME.matcher(url == null ? "" : url.strip());
            boolean otherScheme = scheme.find() && !scheme.group(1).toLowerCase(Locale.ROOT).matches("https?");
            throw new InvalidRequest(otherScheme
                    ? "only http and https image URLs are allowed"
                    : "the image URL is not a valid http(s) URL with a host");
        }
        return parsed;
    }

    /** Resolves the URL's host once and checks every address; the result is all the connection may use. */
    private Target check(HttpUrl url) {
        if (!url.username().isEmpty() || !url.password().isEmpty()) {
            throw new InvalidRequest("image URLs may not carry a user name or password");
        }
        Optional<InetAddress> literal;
        try {
            literal = HostLiteral.parse(url.host());
        } catch (IllegalArgumentException e) {
            throw new InvalidRequest("the image URL's host is not a valid address");
        }
        List<InetAddress> addresses = literal.map(List::of).orElseGet(() -> resolve(url.host()));
        for (InetAddress address : addresses) {
            if (!policy.permits(address, url.port())) {
                // Deliberately vague: naming the internal address would help someone map the network.
                throw new InvalidRequest("the image URL points to an address that is not allowed");
            }
        }
        // An IP literal is rewritten to the address checked, because OkHttp parses literals itself
        // (with the JDK, which reads 010.0.0.1 differently from browsers) and never asks the Dns.
        HttpUrl connectTo = literal.map(a -> url.newBuilder().host(a.getHostAddress()).build()).orElse(url);
        return new Target(connectTo, List.copyOf(addresses));
    }

    private List<InetAddress> resolve(String host) {
        List<InetAddress> addresses;
        try {
            addresses = resolver.resolve(host);
        } catch (UnknownHostException e) {
            throw new InvalidRequest("the image URL's host could not be resolved");
        }
        if (addresses == null || addresses.isEmpty()) {
            throw new InvalidRequest("the image URL's host could not be resolved");
        }
        return addresses;
    }

    private OkHttpClient client(Target target, Duration left) {
        String host = target.url().host();
        Dns pinned = hostname -> {
            if (!hostname.equals(host)) {
                throw new UnknownHostException("not the checked host");
            }
            return target.addresses();
        };
        return base.newBuilder()
                .followRedirects(false)
                .followSslRedirects(false)
                // Through a proxy the proxy would resolve the name, outside our check.
                .proxy(Proxy.NO_PROXY)
                .dns(pinned)
                .callTimeout(left)
                .build();
    }

    private static HttpUrl redirectTarget(HttpUrl from, Response response, int redirectsSoFar) {
        if (redirectsSoFar >= MAX_REDIRECTS) {
            throw new InvalidRequest("the image URL redirected more than " + MAX_REDIRECTS + " times");
        }
        String location = response.header("Location");
        HttpUrl next = location == null ? null : from.resolve(location);
        if (next == null) {
            throw new InvalidRequest("the image URL redirected to something that is not an http(s) URL");
        }
        return next;
    }

    private static byte[] readCapped(ResponseBody body, long maxBytes) throws IOException {
        if (body.contentLength() > maxBytes) {
            throw tooLarge(maxBytes);
        }
        Buffer buffer = new Buffer();
        BufferedSource source = body.source();
        // Counted as it arrives: a chunked body has no length to trust up front.
        while (source.read(buffer, READ_CHUNK) != -1) {
            if (buffer.size() > maxBytes) {
                throw tooLarge(maxBytes);
            }
        }
        return buffer.readByteArray();
    }

    private static FetchedImage image(byte[] bytes, String finalUrl) {
        String mediaType = ImageSignature.mediaType(bytes)
                .orElseThrow(() -> new InvalidRequest("the attachment is not an image (PNG, JPEG, WebP or GIF)"));
        return new FetchedImage(bytes, mediaType, finalUrl);
    }

    private static InvalidRequest tooLarge(long maxBytes) {
        return new InvalidRequest("image too large: the limit is " + maxBytes + " bytes");
    }

    private static InvalidRequest tooSlow() {
        return new InvalidRequest("the image took too long to fetch");
    }

    /** A hop's URL as it will be requested, with the only addresses its connection may use. */
    private record Target(HttpUrl url, List<InetAddress> addresses) {
    }
}
