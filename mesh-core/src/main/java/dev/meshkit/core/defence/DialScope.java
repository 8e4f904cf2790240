package dev.meshkit.core.defence;

import dev.meshkit.api.AddressRange;
import dev.meshkit.api.Endpoint;
import java.net.InetAddress;
import java.util.List;

/**
 * Which endpoints a peer may make this node dial. An endpoint a peer tells of may point no more
 * locally than the peer itself: a peer on the internet can point at internet addresses, a peer on
 * the LAN at LAN addresses too, a peer on loopback anywhere. So a stranger cannot turn this node
 * against its own machine or network (cloud metadata services, admin consoles), while LAN and
 * single-machine meshes work as before. Addresses that name no single host (wildcard, multicast,
 * broadcast) are never dialled. Endpoints given by name and not by address are judged by the peer's
 * scope alone, since resolving them would be a lookup on a stranger's say-so.
 */
public final class DialScope {
    /** Private ranges the JDK's site-local test leaves out: carrier-grade NAT, unique local IPv6. */
    private static final List<AddressRange> ALSO_PRIVATE = List.of(AddressRange.parse("100.64.0.0/10"),
            AddressRange.parse("fc00::/7"));
    private static final List<AddressRange> NO_HOST = List.of(AddressRange.parse("0.0.0.0/8"),
            AddressRange.parse("240.0.0.0/4"));

    /** How far an address reaches, from the most local. */
    public enum Scope {
        /** This machine. */
        LOOPBACK,
        /** This link: 169.254.0.0/16, fe80::/10. */
        LINK_LOCAL,
        /** A private network: RFC 1918, carrier-grade NAT, unique local IPv6. */
        PRIVATE,
        /** Anywhere else. */
        PUBLIC
    }

    private DialScope() {
    }

    /** The scope of an IP address. */
    public static Scope of(InetAddress ip) {
        if (ip.isLoopbackAddress()) {
            return Scope.LOOPBACK;
        }
        if (ip.isLinkLocalAddress()) {
            return Scope.LINK_LOCAL;
        }
        if (ip.isSiteLocalAddress() || AddressRange.anyContains(ALSO_PRIVATE, ip)) {
            return Scope.PRIVATE;
        }
        return Scope.PUBLIC;
    }

    /** True for addresses that name no single host: wildcard, multicast, broadcast, reserved. */
    public static boolean noHost(InetAddress ip) {
        return ip.isAnyLocalAddress() || ip.isMulticastAddress() || AddressRange.anyContains(NO_HOST, ip);
    }

    /**
     * True if this node may dial {@code endpoint} because {@code teller} told of it.
     *
     * @param allowed ranges a teller may point into whatever its own scope
     */
    public static boolean mayDial(Endpoint endpoint, RemoteAddress teller, List<AddressRange> allowed) {
        InetAddress target = AddressRange.ipLiteral(endpoint.host());
        if (target == null) {
            return true; // a name: not resolved here, and no worse than the teller's own reach
        }
        if (noHost(target)) {
            return false;
        }
        if (teller.ip() == null || AddressRange.anyContains(allowed, target)) {
            return true; // a transport without IP addresses, or a range the application opened
        }
        return of(target).compareTo(of(teller.ip())) >= 0;
    }
}
