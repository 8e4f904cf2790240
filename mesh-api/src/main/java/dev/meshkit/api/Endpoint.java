package dev.meshkit.api;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * Where a node can be reached, in canonical form: {@code scheme://host:port/path}.
 *
 * <p>Canonical means two spellings of one place compare equal: scheme and host are lower case,
 * {@code localhost} becomes {@code 127.0.0.1}, IP literals are normalised (IPv4-mapped IPv6 becomes
 * IPv4), the default port is filled in and a trailing slash is dropped. Host names other than
 * {@code localhost} are kept as written: canonicalisation never queries DNS.
 *
 * @param scheme transport scheme such as {@code ws}, {@code wss} or {@code mem}
 * @param host   host name or IP literal (IPv6 without brackets); for {@code mem}, the node's name
 * @param port   0 to 65535; 0 asks a listener for any free port
 * @param path   empty, or starting with {@code /} and not ending with one
 */
public record Endpoint(String scheme, String host, int port, String path) {
    /** The longest endpoint text accepted, both as given and in canonical form. */
    public static final int MAX_LENGTH = 512;

    /** Checks the canonical form; use {@link #parse} for text from users or peers. */
    public Endpoint {
        if (scheme == null || !scheme.matches("[a-z][a-z0-9+.-]{0,15}")) {
            throw new IllegalArgumentException("bad scheme: " + scheme);
        }
        if (host == null || host.isEmpty() || host.length() > 253) {
            throw new IllegalArgumentException("bad host: " + host);
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("bad port: " + port);
        }
        if (path == null || (!path.isEmpty() && (!path.startsWith("/") || path.endsWith("/")))) {
            throw new IllegalArgumentException("bad path: " + path);
        }
        // Canonical text can be longer than what was parsed (a default port filled in); it must
        // still parse, or an endpoint accepted from one peer could not be passed on to the next.
        if (text(scheme, host, port, path).length() > MAX_LENGTH) {
            throw new IllegalArgumentException("longer than " + MAX_LENGTH + " characters in canonical form");
        }
    }

    /**
     * Parses and canonicalises endpoint text.
     *
     * @throws InvalidEndpointException if the text is not a usable endpoint
     */
    public static Endpoint parse(String text) {
        if (text == null || text.isBlank()) {
            throw new InvalidEndpointException(String.valueOf(text), "empty");
        }
        if (text.length() > MAX_LENGTH) {
            throw new InvalidEndpointException(text.substring(0, 32) + "...", "longer than " + MAX_LENGTH + " characters");
        }
        URI uri;
        try {
            uri = new URI(text.trim());
        } catch (URISyntaxException e) {
            throw new InvalidEndpointException(text, e.getReason());
        }
        if (uri.getScheme() == null) {
            throw new InvalidEndpointException(text, "no scheme");
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
            throw new InvalidEndpointException(text, "user info, query and fragment are not allowed");
        }
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.matches("[a-z][a-z0-9+.-]{0,15}")) {
            throw new InvalidEndpointException(text, "bad scheme");
        }
        String host = uri.getHost();
        if (host == null || host.isEmpty()) {
            throw new InvalidEndpointException(text, "no host");
        }
        int port = uri.getPort();
        if (port < 0) {
            port = defaultPort(scheme);
            if (port < 0) {
                throw new InvalidEndpointException(text, "no port and scheme has no default");
            }
        }
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        try {
            return new Endpoint(scheme, canonicalHost(host), port, path);
        } catch (IllegalArgumentException e) {
            throw new InvalidEndpointException(text, e.getMessage());
        }
    }

    private static int defaultPort(String scheme) {
        switch (scheme) {
            case "ws":
                return 80;
            case "wss":
                return 443;
            case "mem":
            case "sim":
                return 0;
            default:
                return -1;
        }
    }

    private static String canonicalHost(String rawHost) {
        String host = rawHost.toLowerCase(Locale.ROOT);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        if (host.equals("localhost")) {
            return "127.0.0.1";
        }
        InetAddress ip = AddressRange.ipLiteral(host);
        if (ip != null) {
            return ip.getHostAddress().toLowerCase(Locale.ROOT);
        }
        if (host.indexOf(':') >= 0 || host.matches("[0-9.]+")) {
            throw new IllegalArgumentException("bad IP literal: " + rawHost);
        }
        return host;
    }

    /** True for IPv4 127.0.0.0/8 and IPv6 ::1. */
    public boolean isLoopback() {
        return host.startsWith("127.") || host.equals("0:0:0:0:0:0:0:1");
    }

    /** True for the wildcard addresses 0.0.0.0 and ::, which mean "every local interface". */
    public boolean isWildcard() {
        return host.equals("0.0.0.0") || host.equals("0:0:0:0:0:0:0:0");
    }

    /** The same endpoint with another port, e.g. the port a listener actually bound. */
    public Endpoint withPort(int newPort) {
        return new Endpoint(scheme, host, newPort, path);
    }

    /** The same endpoint with another host, e.g. an advertised address for a wildcard listener. */
    public Endpoint withHost(String newHost) {
        return new Endpoint(scheme, canonicalHost(newHost), port, path);
    }

    /** The endpoint as a {@link URI}. */
    public URI toUri() {
        return URI.create(toString());
    }

    @Override
    public String toString() {
        return text(scheme, host, port, path);
    }

    private static String text(String scheme, String host, int port, String path) {
        String h = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
        return scheme + "://" + h + ":" + port + path;
    }
}
