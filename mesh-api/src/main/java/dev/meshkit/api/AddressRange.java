package dev.meshkit.api;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;

/**
 * A block of IP addresses in CIDR form, such as {@code 127.0.0.0/8} or {@code fd00::/8}. Parsing
 * accepts IP literals only, never host names, so building a range never touches the network.
 *
 * @param base       the first address of the block (host bits are cleared)
 * @param prefixBits leading bits every address of the block shares
 */
public record AddressRange(InetAddress base, int prefixBits) {
    /** IPv4 and IPv6 loopback: {@code 127.0.0.0/8} and {@code ::1/128}. */
    public static final List<AddressRange> LOOPBACK = List.of(parse("127.0.0.0/8"),
            parse("::1/128"));

    /** Clears the host bits and checks the prefix fits the address family. */
    public AddressRange {
        if (base == null) {
            throw new IllegalArgumentException("an address range needs a base address");
        }
        int bits = base.getAddress().length * 8;
        if (prefixBits < 0 || prefixBits > bits) {
            throw new IllegalArgumentException("prefix /" + prefixBits + " does not fit a " + bits + "-bit address");
        }
        base = of(mask(base.getAddress(), prefixBits));
    }

    /**
     * Parses {@code address/prefix}, or a single address (a full-length prefix).
     *
     * @throws IllegalArgumentException if the text is not an IP literal with an optional prefix
     */
    public static AddressRange parse(String text) {
        int slash = text.indexOf('/');
        String address = slash < 0 ? text : text.substring(0, slash);
        InetAddress ip = ipLiteral(address);
        if (ip == null) {
            throw new IllegalArgumentException("not an IP literal: '" + address + "'");
        }
        int prefix = ip.getAddress().length * 8;
        if (slash >= 0) {
            try {
                prefix = Integer.parseInt(text.substring(slash + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bad prefix in '" + text + "'");
            }
        }
        return new AddressRange(ip, prefix);
    }

    /**
     * The address an IPv4 dotted quad or an IPv6 literal (brackets and zone allowed) stands for, or
     * {@code null} if the text is anything else. Never resolves a name.
     */
    public static InetAddress ipLiteral(String text) {
        String t = text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text;
        if (t.indexOf(':') >= 0) {
            if (!t.matches("[0-9A-Fa-f:.]+(%[0-9A-Za-z._-]+)?")) {
                return null;
            }
            try {
                return InetAddress.getByName(t); // a text with a colon is parsed as IPv6, never looked up
            } catch (UnknownHostException e) {
                return null;
            }
        }
        String[] parts = t.split("\\.", -1);
        if (parts.length != 4) {
            return null;
        }
        byte[] raw = new byte[4];
        for (int i = 0; i < 4; i++) {
            if (!parts[i].matches("[0-9]{1,3}") || Integer.parseInt(parts[i]) > 255) {
                return null;
            }
            raw[i] = (byte) Integer.parseInt(parts[i]);
        }
        return of(raw);
    }

    /** True if {@code address} lies in this block; an address of the other family never does. */
    public boolean contains(InetAddress address) {
        byte[] raw = address.getAddress();
        byte[] mine = base.getAddress();
        return raw.length == mine.length && Arrays.equals(mask(raw, prefixBits), mine);
    }

    /** True if {@code address} lies in any of {@code ranges}. */
    public static boolean anyContains(List<AddressRange> ranges, InetAddress address) {
        for (AddressRange r : ranges) {
            if (r.contains(address)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return base.getHostAddress() + "/" + prefixBits;
    }

    /** The first {@code bits} bits of {@code raw}, the rest zero. */
    private static byte[] mask(byte[] raw, int bits) {
        byte[] out = raw.clone();
        for (int i = 0; i < out.length; i++) {
            int keep = Math.max(0, Math.min(8, bits - i * 8));
            out[i] &= (byte) (0xff << (8 - keep));
        }
        return out;
    }

    private static InetAddress of(byte[] raw) {
        try {
            return InetAddress.getByAddress(raw);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("bad address length " + raw.length, e);
        }
    }
}
