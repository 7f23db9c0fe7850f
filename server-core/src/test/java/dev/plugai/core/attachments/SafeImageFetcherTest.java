package dev.plugai.core.attachments;

import dev.plugai.core.errors.PlugAiException;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import okhttp3.OkHttpClient;
import okio.Buffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Fetches against a real socket; the loopback server is reachable only through a one-address exemption. */
class SafeImageFetcherTest {

    /** The PNG signature and an IHDR chunk for a 1×1 RGBA image. */
    static final byte[] TINY_PNG = {
            (byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A,
            0, 0, 0, 13, 'I', 'H', 'D', 'R', 0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0,
            0x1F, 0x15, (byte) 0xC4, (byte) 0x89};
    private static final String HOST = "images.example.test";
    private static final long MAX_BYTES = 64 * 1024;

    private final MockWebServer server = new MockWebServer();
    private final List<String> lookups = new ArrayList<>();
    private SafeImageFetcher fetcher;

    @BeforeEach
    void start() throws IOException {
        server.start();
        InetSocketAddress socket = server.getSocketAddress();
        AddressPolicy onlyTheMockServer = AddressPolicy.strict().exempting(socket);
        HostResolver resolver = host -> {
            lookups.add(host);
            if (!host.equals(HOST)) {
                throw new UnknownHostException(host);
            }
            return List.of(socket.getAddress());
        };
        fetcher = new SafeImageFetcher(new OkHttpClient(), onlyTheMockServer, MAX_BYTES, Duration.ofSeconds(5),
                resolver);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private String url(String path) {
        return "http://" + HOST + ":" + server.getPort() + path;
    }

    @Test
    void pngIsFetchedAndRecognisedByItsBytes() throws Exception {
        server.enqueue(new MockResponse.Builder().addHeader("Content-Type", "text/plain")
                .body(new Buffer().write(TINY_PNG)).build());

        FetchedImage image = fetcher.fetch(url("/cat.png"));

        assertThat(image.bytes()).isEqualTo(TINY_PNG);
        assertThat(image.mediaType()).isEqualTo("image/png");
        assertThat(image.finalUrl()).isEqualTo(url("/cat.png"));
        assertThat(server.takeRequest(5, TimeUnit.SECONDS).getUrl().host()).isEqualTo(HOST);
        assertThat(lookups).containsExactly(HOST);
    }

    @Test
    void loopbackLiteralIsReachableOnlyThroughTheExemptPort() {
        server.enqueue(new MockResponse.Builder().body(new Buffer().write(TINY_PNG)).build());
        String literal = "http://" + server.getSocketAddress().getAddress().getHostAddress() + ":" + server.getPort();

        assertThat(fetcher.fetch(literal + "/cat.png").mediaType()).isEqualTo("image/png");
        assertThat(lookups).isEmpty();
    }

    @Test
    void redirectWithinTheAllowedServerIsFollowed() {
        server.enqueue(new MockResponse.Builder().code(302).addHeader("Location", "/moved.png").build());
        server.enqueue(new MockResponse.Builder().body(new Buffer().write(TINY_PNG)).build());

        FetchedImage image = fetcher.fetch(url("/cat.png"));

        assertThat(image.finalUrl()).isEqualTo(url("/moved.png"));
        assertThat(server.getRequestCount()).isEqualTo(2);
    }

    @Test
    void redirectToCloudMetadataIsRefusedWithoutConnecting() {
        server.enqueue(new MockResponse.Builder().code(302)
                .addHeader("Location", "http://169.254.169.254/latest/meta-data/").build());

        assertRefused(url("/cat.png"), "not allowed");
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    @Test
    void redirectToFileUrlIsRefused() {
        server.enqueue(new MockResponse.Builder().code(301).addHeader("Location", "file:///etc/passwd").build());

        assertRefused(url("/cat.png"), "not an http(s) URL");
    }

    @Test
    void moreThanThreeRedirectsAreRefused() {
        for (int i = 0; i <= SafeImageFetcher.MAX_REDIRECTS; i++) {
            server.enqueue(new MockResponse.Builder().code(302).addHeader("Location", "/hop" + i).build());
        }

        assertRefused(url("/cat.png"), "redirected more than 3 times");
        assertThat(server.getRequestCount()).isEqualTo(SafeImageFetcher.MAX_REDIRECTS + 1);
    }

    @Test
    void fiftyMegabytesWithContentLengthAreRefusedAtOnce() {
        server.enqueue(new MockResponse.Builder().body(fiftyMegabytesOfPng()).build());

        assertRefused(url("/huge.png"), "image too large");
    }

    @Test
    void fiftyMegabytesChunkedWithoutLengthAreRefusedWhileReading() {
        server.enqueue(new MockResponse.Builder().chunkedBody(fiftyMegabytesOfPng(), 64 * 1024).build());

        assertRefused(url("/huge.png"), "image too large");
    }

    @Test
    void htmlServedAsImageIsRefused() {
        server.enqueue(new MockResponse.Builder().addHeader("Content-Type", "image/png")
                .body("<!doctype html><title>login</title>").build());

        assertRefused(url("/cat.png"), "not an image");
    }

    @Test
    void errorStatusIsRefused() {
        server.enqueue(new MockResponse.Builder().code(404).body("nope").build());

        assertRefused(url("/cat.png"), "HTTP 404");
    }

    @Test
    void slowServerRunsIntoTheDeadline() {
        SafeImageFetcher impatient = new SafeImageFetcher(new OkHttpClient(),
                AddressPolicy.strict().exempting(server.getSocketAddress()), MAX_BYTES, Duration.ofMillis(300),
                host -> List.of(server.getSocketAddress().getAddress()));
        server.enqueue(new MockResponse.Builder().body(new Buffer().write(TINY_PNG))
                .bodyDelay(3, TimeUnit.SECONDS).build());

        assertThatThrownBy(() -> impatient.fetch(url("/slow.png")))
                .isInstanceOf(PlugAiException.InvalidRequest.class)
                .hasMessageContaining("too long");
    }

    @Test
    void inlineDataUrlIsDecodedAndRecognised() {
        String encoded = Base64.getEncoder().encodeToString(TINY_PNG);

        FetchedImage fromDataUrl = SafeImageFetcher.decodeBase64("data:image/jpeg;base64," + encoded, MAX_BYTES);
        FetchedImage bare = SafeImageFetcher.decodeBase64(encoded, MAX_BYTES);

        assertThat(fromDataUrl.mediaType()).as("the bytes win over the declared type").isEqualTo("image/png");
        assertThat(fromDataUrl.bytes()).isEqualTo(TINY_PNG);
        assertThat(fromDataUrl.finalUrl()).isNull();
        assertThat(bare.mediaType()).isEqualTo("image/png");
    }

    @Test
    void inlineGifJpegAndWebpAreRecognised() {
        assertThat(inline(new byte[] {'G', 'I', 'F', '8', '9', 'a', 1, 0})).isEqualTo("image/gif");
        assertThat(inline(new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0})).isEqualTo("image/jpeg");
        assertThat(inline(new byte[] {'R', 'I', 'F', 'F', 4, 0, 0, 0, 'W', 'E', 'B', 'P', 'V', 'P'}))
                .isEqualTo("image/webp");
    }

    @Test
    void inlineNonImageIsRefused() {
        String html = Base64.getEncoder().encodeToString("<html>hi</html>".getBytes());

        assertThatThrownBy(() -> SafeImageFetcher.decodeBase64("data:image/png;base64," + html, MAX_BYTES))
                .isInstanceOf(PlugAiException.InvalidRequest.class)
                .hasMessageContaining("not an image");
    }

    @Test
    void inlineOversizedOrMalformedDataIsRefused() {
        String big = Base64.getEncoder().encodeToString(new byte[(int) MAX_BYTES + 1]);

        assertThatThrownBy(() -> SafeImageFetcher.decodeBase64(big, MAX_BYTES))
                .hasMessageContaining("image too large");
        assertThatThrownBy(() -> SafeImageFetcher.decodeBase64("data:image/png;base64,@@@", MAX_BYTES))
                .hasMessageContaining("not valid base64");
        assertThatThrownBy(() -> SafeImageFetcher.decodeBase64("data:image/png,rawbytes", MAX_BYTES))
                .hasMessageContaining("must be base64");
    }

    private static String inline(byte[] bytes) {
        return SafeImageFetcher.decodeBase64(Base64.getEncoder().encodeToString(bytes), 1024).mediaType();
    }

    private void assertRefused(String url, String reason) {
        assertThatThrownBy(() -> fetcher.fetch(url))
                .isInstanceOf(PlugAiException.InvalidRequest.class)
                .hasMessageContaining(reason);
    }

    private static Buffer fiftyMegabytesOfPng() {
        Buffer body = new Buffer().write(TINY_PNG);
        byte[] filler = new byte[1024 * 1024];
        for (int i = 0; i < 50; i++) {
            body.write(filler);
        }
        return body;
    }
}
