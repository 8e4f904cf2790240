package dev.meshkit.cli;

import dev.meshkit.api.Endpoint;
import dev.meshkit.api.InvalidEndpointException;
import dev.meshkit.api.spi.TransportProvider;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which endpoint schemes the installed transports handle, so a command can reject
 * {@code --listen http://...} up front with a clear message instead of a failed node start.
 */
final class Transports {
    private final Set<String> schemes;

    private Transports(Set<String> schemes) {
        this.schemes = schemes;
    }

    /** The schemes of every transport provider present. */
    static Transports installed() {
        Set<String> found = new TreeSet<>();
        try {
            for (TransportProvider p : ServiceLoader.load(TransportProvider.class, Transports.class.getClassLoader())) {
                found.addAll(p.schemes());
            }
        } catch (ServiceConfigurationError e) {
            // A broken plugin is the node's problem to report; the check just knows less.
        }
        return new Transports(found);
    }

    /** The installed schemes, sorted. */
    Set<String> schemes() {
        return schemes;
    }

    /**
     * Parses {@code text} and checks a transport handles its scheme.
     *
     * @throws IllegalArgumentException with a message fit for the user
     */
    Endpoint check(String text) {
        Endpoint e;
        try {
            e = Endpoint.parse(text);
        } catch (InvalidEndpointException ex) {
            throw new IllegalArgumentException(ex.getMessage(), ex);
        }
        if (!schemes.contains(e.scheme())) {
            throw new IllegalArgumentException("no transport for scheme '" + e.scheme() + "' in '" + text
                    + "' (installed: " + (schemes.isEmpty() ? "none" : String.join(", ", schemes)) + ")");
        }
        return e;
    }
}
