package dev.meshkit.core.defence;

import dev.meshkit.api.AddressRange;
import java.net.InetAddress;
import java.util.List;

/**
 * The host part of a connection's remote address ({@code 203.0.113.5:40112}, {@code [2001:db8::1]:9000}),
 * with its IP address when it is one. Transports that have no IP addresses (in-memory, simulated)
 * give names, which count as their own subnet.
 *
 * @param host the host, without port or brackets
 * @param ip   the host as an IP address, or {@code null} for a name
 */
public record RemoteAddress(String host, InetAddress ip) {

    /** Parses a transport's {@code host:port} text; never resolves a name. */
    public static RemoteAddress parse(String remote) {
        String host = remote == null ? "" : remote;
        if (host.startsWith("[")) {
            int close = host.indexOf(']');
            host = close > 0 ? host.substring(1, close) : host.substring(1);
        } else if (host.indexOf(':') >= 0 && host.indexOf(':') == host.lastIndexOf(':')) {
            host = host.substring(0, host.indexOf(':'));
        }
        InetAddress ip = AddressRange.ipLiteral(host);
        return new RemoteAddress(ip != null ? ip.getHostAddress() : host, ip);
    }

    /** True if the address lies in one of {@code ranges}. */
    public boolean in(List<AddressRange> ranges) {
        return ip != null && AddressRange.anyContains(ranges, ip);
    }

    /** The subnet this address belongs to, as a key: {@code 203.0.113.0/24}; a name is its own subnet. */
    public String subnet(int ipv4Bits, int ipv6Bits) {
        if (ip == null) {
            return host;
        }
        int bits = ip.getAddress().length == 4 ? ipv4Bits : ipv6Bits;
        return new AddressRange(ip, bits).toString();
    }
}
