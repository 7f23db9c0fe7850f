package dev.plugai.core.attachments;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HashSet;
import java.util.Set;

/**
 * Which network addresses the server may fetch attachments from; set by the operator, never by a request.
 *
 * <p>{@link #strict()} allows public unicast addresses only. {@code allowPrivateNetworks} additionally lets a
 * home lab reach RFC 1918, unique-local and CGNAT (100.64/10) addresses; loopback, link-local (including cloud
 * metadata) and the other special ranges stay refused either way. {@code exemptions} name exact
 * address-and-port pairs that are allowed whatever their range. Immutable and thread-safe.
 */
public record AddressPolicy(boolean allowPrivateNetworks, Set<InetSocketAddress> exemptions) {

    public AddressPolicy {
        exemptions = Set.copyOf(exemptions);
    }

    /** Public addresses only: the default. */
    public static AddressPolicy strict() {
        return new AddressPolicy(false, Set.of());
    }

    /** This policy, also allowing private-network addresses (a home lab's image server, say). */
    public AddressPolicy allowingPrivateNetworks() {
        return new AddressPolicy(true, exemptions);
    }

    /** This policy, also allowing exactly {@code target} (its address and port), whatever range it is in. */
    public AddressPolicy exempting(InetSocketAddress target) {
        // An unresolved name would become the wildcard address here and exempt far more than meant.
        if (target.isUnresolved()) {
            throw new IllegalArgumentException("an exemption must be a resolved address");
        }
        Set<InetSocketAddress> more = new HashSet<>(exemptions);
        more.add(new InetSocketAddress(target.getAddress(), target.getPort()));
        return new AddressPolicy(allowPrivateNetworks, more);
    }

    boolean permits(InetAddress address, int port) {
        if (exemptions.contains(new InetSocketAddress(address, port))) {
            return true;
        }
        return AddressRange.of(address)
                .map(range -> allowPrivateNetworks && range.privateNetwork())
                .orElse(true);
    }
}
