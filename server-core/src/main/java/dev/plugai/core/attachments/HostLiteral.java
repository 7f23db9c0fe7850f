package dev.plugai.core.attachments;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads a URL host that is an IP address in any of the forms browsers and curl accept, so that
 * {@code 2130706433}, {@code 0x7f.1}, {@code 0177.0.0.1} and {@code 127.1} are judged as the loopback
 * address they are rather than handed to DNS as names. Follows the WHATWG URL host rules: a host whose
 * last label is a number is an IPv4 address or is invalid.
 */
final class HostLiteral {

    private static final Pattern NUMERIC_LABEL = Pattern.compile("[0-9]+|0[xX][0-9a-fA-F]*");
    private static final Pattern DIGITS_AND_DOTS = Pattern.compile("[0-9.]+");
    private static final int MAX_PART_LENGTH = 16;

    private HostLiteral() {
    }

    /**
     * The address {@code host} spells out, empty when it is a name to resolve.
     *
     * @throws IllegalArgumentException when it looks like an IP address but is not a valid one
     */
    static Optional<InetAddress> parse(String host) {
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        if (host.contains(":")) {
            return Optional.of(ipv6(host));
        }
        String trimmed = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
        String[] labels = trimmed.split("\\.", -1);
        // OkHttp treats any host of digits and dots as an address, so such a host must parse as one here too.
        if (!NUMERIC_LABEL.matcher(labels[labels.length - 1]).matches() && !DIGITS_AND_DOTS.matcher(host).matches()) {
            return Optional.empty();
        }
        return Optional.of(ipv4(labels));
    }

    private static InetAddress ipv6(String literal) {
        // A string with a colon is only ever parsed as a literal by the JDK, never looked up.
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IPv6 address");
        }
    }

    private static InetAddress ipv4(String[] labels) {
        if (labels.length > 4) {
            throw new IllegalArgumentException("too many parts for an IPv4 address");
        }
        long[] parts = new long[labels.length];
        for (int i = 0; i < labels.length; i++) {
            parts[i] = part(labels[i]);
        }
        long value = 0;
        for (int i = 0; i < parts.length - 1; i++) {
            if (parts[i] > 255) {
                throw new IllegalArgumentException("IPv4 part out of range");
            }
            value |= parts[i] << (8 * (3 - i));
        }
        long last = parts[parts.length - 1];
        // The last part fills all the bytes the earlier parts left: 127.1 is 127.0.0.1.
        if (last >= 1L << (8 * (5 - parts.length))) {
            throw new IllegalArgumentException("IPv4 part out of range");
        }
        value |= last;
        byte[] bytes = {(byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value};
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("four bytes are always an address", e);
        }
    }

    private static long part(String label) {
        if (label.isEmpty() || label.length() > MAX_PART_LENGTH) {
            throw new IllegalArgumentException("not an IPv4 part");
        }
        try {
            if (label.startsWith("0x") || label.startsWith("0X")) {
                return label.length() == 2 ? 0 : Long.parseLong(label.substring(2), 16);
            }
            if (label.length() > 1 && label.startsWith("0")) {
                return Long.parseLong(label.substring(1), 8);
            }
            return Long.parseLong(label);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not an IPv4 part");
        }
    }
}
