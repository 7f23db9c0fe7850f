package dev.plugai.core.attachments;

import java.net.InetAddress;
import java.util.Arrays;
import java.util.Optional;

/**
 * The special-purpose ranges an attachment fetch must not reach; an address in none of them is public.
 *
 * <p>IPv6 forms that carry an IPv4 address (IPv4-mapped, NAT64 {@code 64:ff9b::/96}, 6to4 {@code 2002::/16})
 * are judged by the IPv4 address inside, since that is where the packets can end up.
 */
enum AddressRange {
    UNSPECIFIED(false),
    LOOPBACK(false),
    PRIVATE(true),
    SHARED_CGNAT(true),
    LINK_LOCAL(false),
    MULTICAST(false),
    BROADCAST(false),
    TUNNEL(false),
    RESERVED(false);

    private final boolean privateNetwork;

    AddressRange(boolean privateNetwork) {
        this.privateNetwork = privateNetwork;
    }

    /** Whether an operator's "allow private networks" switch opens this range. */
    boolean privateNetwork() {
        return privateNetwork;
    }

    static Optional<AddressRange> of(InetAddress address) {
        byte[] bytes = address.getAddress();
        return Optional.ofNullable(bytes.length == 4 ? ofIpv4(bytes) : ofIpv6(bytes));
    }

    private static AddressRange ofIpv4(byte[] b) {
        int a0 = b[0] & 0xFF;
        int a1 = b[1] & 0xFF;
        int a2 = b[2] & 0xFF;
        if (a0 == 0) {
            return UNSPECIFIED;
        }
        if (a0 == 127) {
            return LOOPBACK;
        }
        if (a0 == 10 || (a0 == 172 && (a1 & 0xF0) == 16) || (a0 == 192 && a1 == 168)) {
            return PRIVATE;
        }
        if (a0 == 100 && (a1 & 0xC0) == 64) {
            return SHARED_CGNAT;
        }
        if (a0 == 169 && a1 == 254) {
            return LINK_LOCAL;
        }
        if (a0 >= 224 && a0 <= 239) {
            return MULTICAST;
        }
        if (Arrays.equals(b, new byte[] {-1, -1, -1, -1})) {
            return BROADCAST;
        }
        if (a0 >= 240
                || (a0 == 192 && a1 == 0 && (a2 == 0 || a2 == 2))
                || (a0 == 198 && (a1 & 0xFE) == 18)
                || (a0 == 198 && a1 == 51 && a2 == 100)
                || (a0 == 203 && a1 == 0 && a2 == 113)) {
            return RESERVED;
        }
        return null;
    }

    private static AddressRange ofIpv6(byte[] b) {
        if (allZero(b, 0, 16)) {
            return UNSPECIFIED;
        }
        if (allZero(b, 0, 15) && b[15] == 1) {
            return LOOPBACK;
        }
        if (allZero(b, 0, 10) && b[10] == -1 && b[11] == -1) {
            return ofIpv4(Arrays.copyOfRange(b, 12, 16));
        }
        if (allZero(b, 0, 12)) {
            return RESERVED; // deprecated IPv4-compatible ::a.b.c.d
        }
        if (b[0] == 0 && b[1] == 0x64 && b[2] == -1 && b[3] == (byte) 0x9B) {
            // 64:ff9b::/96 is the well-known NAT64 prefix; 64:ff9b:1::/48 is for local NAT64 setups.
            return allZero(b, 4, 12) ? embedded(b, 12) : PRIVATE;
        }
        if (b[0] == 0x20 && b[1] == 0x02) {
            return embedded(b, 2);
        }
        if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0 && b[3] == 0) {
            return TUNNEL; // Teredo: the real endpoint is obfuscated in the address, so it cannot be judged
        }
        if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0D && b[3] == (byte) 0xB8) {
            return RESERVED; // documentation
        }
        if ((b[0] & 0xFE) == 0xFC) {
            return PRIVATE;
        }
        if (b[0] == (byte) 0xFE && (b[1] & 0xC0) == 0x80) {
            return LINK_LOCAL;
        }
        if (b[0] == (byte) 0xFE && (b[1] & 0xC0) == 0xC0) {
            return PRIVATE; // deprecated site-local
        }
        if (b[0] == -1) {
            return MULTICAST;
        }
        // Outside 2000::/3 nothing is assigned for global unicast; refusing it beats guessing.
        return (b[0] & 0xE0) == 0x20 ? null : RESERVED;
    }

    private static AddressRange embedded(byte[] b, int from) {
        return ofIpv4(Arrays.copyOfRange(b, from, from + 4));
    }

    private static boolean allZero(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }
}
