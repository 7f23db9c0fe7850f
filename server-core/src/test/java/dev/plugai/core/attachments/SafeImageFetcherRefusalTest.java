package dev.plugai.core.attachments;

import dev.plugai.core.errors.PlugAiException;
import okhttp3.Call;
import okhttp3.EventListener;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Every refusal here must happen before OkHttp starts a call, so nothing ever reaches the network. */
class SafeImageFetcherRefusalTest {

    private final AtomicInteger callsStarted = new AtomicInteger();
    private final List<String> lookups = new ArrayList<>();
    private final Map<String, List<String>> dnsAnswers = Map.of(
            "intranet.example.test", List.of("10.1.2.3"),
            "mixed.example.test", List.of("93.184.215.14", "192.168.1.20"),
            "metadata.example.test", List.of("169.254.169.254"),
            "v6private.example.test", List.of("fd12:3456::1"));

    private final OkHttpClient base = new OkHttpClient.Builder()
            .eventListener(new EventListener() {
                @Override
                public void callStart(Call call) {
                    callsStarted.incrementAndGet();
                }
            })
            .build();

    private SafeImageFetcher fetcher(AddressPolicy policy) {
        return new SafeImageFetcher(base, policy, 1024, Duration.ofSeconds(2), this::answer);
    }

    private List<InetAddress> answer(String host) throws UnknownHostException {
        lookups.add(host);
        List<String> answers = dnsAnswers.get(host);
        if (answers == null) {
            throw new UnknownHostException(host);
        }
        List<InetAddress> addresses = new ArrayList<>();
        for (String literal : answers) {
            addresses.add(InetAddress.getByName(literal));
        }
        return addresses;
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "http://127.0.0.1/a.png", "http://[::1]/a.png", "http://169.254.169.254/latest/meta-data/",
            "http://10.0.0.1/a.png", "http://2130706433/a.png", "http://0x7f.1/a.png", "http://0177.0.0.1/a.png",
            "http://127.1/a.png", "http://[::ffff:127.0.0.1]/a.png", "http://[64:ff9b::a9fe:a9fe]/a.png",
            "http://0.0.0.0/a.png", "http://[::]/a.png", "https://172.16.5.4/", "http://192.168.0.1:8080/",
            "http://100.64.0.1/", "http://224.0.0.1/", "http://255.255.255.255/", "http://[fe80::1]/",
            "http://[fc00::1]/", "http://[ff02::1]/", "http://[2002:7f00:1::]/", "http://[2001:0:4136:e378::1]/",
            "http://0x7f000001/", "http://017700000001/", "http://0XA9.0376.0xa9fe/", "http://127.0.0.1./",
            "http://[::ffff:a9fe:a9fe]/", "http://0/"})
    void literalInternalAddressesAreRefusedWithoutLookupOrConnection(String url) {
        assertRefused(AddressPolicy.strict(), url, "not allowed");
        assertThat(lookups).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://1.2.3.4.5/", "http://256.0.0.1/", "http://0x100000000/", "http://08.0.0.1/",
            "http://example.123/", "http://1.2../"})
    void malformedNumericHostsAreRefusedRatherThanLookedUp(String url) {
        assertThatThrownBy(() -> fetcher(AddressPolicy.strict()).fetch(url))
                .isInstanceOf(PlugAiException.InvalidRequest.class);
        assertThat(lookups).isEmpty();
        assertThat(callsStarted).hasValue(0);
    }

    @ParameterizedTest
    @ValueSource(strings = {"file:///etc/passwd", "ftp://example.com/a.png", "gopher://example.com:70/_x",
            "jar:http://example.com/a.jar!/a.png", "data:image/png;base64,iVBORw0KGgo="})
    void nonHttpSchemesAreRefused(String url) {
        assertRefused(AddressPolicy.strict(), url, "only http and https");
    }

    @Test
    void urlWithoutHostIsRefused() {
        assertRefused(AddressPolicy.strict(), "http://:8080/a.png", "not a valid");
    }

    @Test
    void userinfoIsRefusedBeforeAnyLookup() {
        assertRefused(AddressPolicy.strict(), "http://user:pw@example.com/", "user name or password");
        assertThat(lookups).isEmpty();
    }

    @Test
    void hostnameResolvingToPrivateAddressIsRefused() {
        assertRefused(AddressPolicy.strict(), "http://intranet.example.test/a.png", "not allowed");
        assertThat(lookups).containsExactly("intranet.example.test");
    }

    @Test
    void hostnameWithOnePublicAndOnePrivateAddressIsRefused() {
        assertRefused(AddressPolicy.strict(), "https://mixed.example.test/a.png", "not allowed");
    }

    @Test
    void refusalDoesNotNameTheResolvedAddress() {
        assertThatThrownBy(() -> fetcher(AddressPolicy.strict()).fetch("http://intranet.example.test/"))
                .message().doesNotContain("10.1.2.3").doesNotContain("10.");
    }

    @Test
    void privateNetworkSwitchStillRefusesMetadataAndLoopback() {
        AddressPolicy homeLab = AddressPolicy.strict().allowingPrivateNetworks();
        assertRefused(homeLab, "http://metadata.example.test/", "not allowed");
        assertRefused(homeLab, "http://169.254.169.254/", "not allowed");
        assertRefused(homeLab, "http://127.0.0.1/", "not allowed");
        assertThat(homeLab.permits(address("10.1.2.3"), 80)).isTrue();
        assertThat(homeLab.permits(address("fd12:3456::1"), 80)).isTrue();
        assertThat(homeLab.permits(address("100.100.1.1"), 80)).isTrue();
    }

    @Test
    void strictPolicyPermitsPublicAddressesOnly() {
        AddressPolicy strict = AddressPolicy.strict();
        assertThat(strict.permits(address("93.184.215.14"), 443)).isTrue();
        assertThat(strict.permits(address("2606:4700::1111"), 443)).isTrue();
        assertThat(strict.permits(address("64:ff9b::808:808"), 443)).isTrue();
        assertThat(strict.permits(address("fd12:3456::1"), 443)).isFalse();
        assertThat(strict.permits(address("198.18.0.1"), 443)).isFalse();
    }

    @Test
    void exemptionCoversExactlyOneAddressAndPort() {
        AddressPolicy policy = AddressPolicy.strict().exempting(new InetSocketAddress(address("127.0.0.1"), 8080));

        assertThat(policy.permits(address("127.0.0.1"), 8080)).isTrue();
        assertThat(policy.permits(address("127.0.0.1"), 8081)).isFalse();
        assertThat(policy.permits(address("127.0.0.2"), 8080)).isFalse();
        assertThatThrownBy(() -> policy.exempting(InetSocketAddress.createUnresolved("localhost", 80)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void octalAndShortFormsAreReadAsBrowsersReadThem() {
        assertThat(HostLiteral.parse("0177.0.0.1")).contains(address("127.0.0.1"));
        assertThat(HostLiteral.parse("010.0.0.1")).contains(address("8.0.0.1"));
        assertThat(HostLiteral.parse("127.1")).contains(address("127.0.0.1"));
        assertThat(HostLiteral.parse("10.1.258")).contains(address("10.1.1.2"));
        assertThat(HostLiteral.parse("0xc0.0xa8.1")).contains(address("192.168.0.1"));
        assertThat(HostLiteral.parse("images.example.test")).isEmpty();
        assertThat(HostLiteral.parse("0x7f.example")).isEmpty();
    }

    private void assertRefused(AddressPolicy policy, String url, String reason) {
        assertThatThrownBy(() -> fetcher(policy).fetch(url))
                .isInstanceOf(PlugAiException.InvalidRequest.class)
                .hasMessageContaining(reason);
        assertThat(callsStarted).as("no call may start for a refused URL").hasValue(0);
    }

    private static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
