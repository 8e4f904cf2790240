package dev.meshkit.core.peers;

import dev.meshkit.api.Endpoint;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.Collections;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Knows every spelling of "this node": the endpoints it listens on and advertises, the addresses
 * of this machine (so {@code ws://<own-ip>:<own-port>} is recognised without DNS), and endpoints
 * that led back to this node. Confined to the event loop.
 */
public final class SelfAddresses {
    private static final int MAX_LEARNED = 64;

    private final Set<Endpoint> own = new HashSet<>();
    private final Set<String> localHosts = new HashSet<>();
    private final LinkedHashSet<Endpoint> learned = new LinkedHashSet<>();

    /** Creates the set, reading this machine's interface addresses once. */
    public SelfAddresses() {
        localHosts.add("127.0.0.1");
        localHosts.add("0.0.0.0");
        localHosts.add("0:0:0:0:0:0:0:1");
        localHosts.add("0:0:0:0:0:0:0:0");
        try {
            for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                for (InetAddress a : Collections.list(nif.getInetAddresses())) {
                    String h = a.getHostAddress();
                    int scope = h.indexOf('%');
                    localHosts.add(scope >= 0 ? h.substring(0, scope) : h);
                }
            }
        } catch (SocketException | RuntimeException e) {
            // Without the interface list only loopback and explicit endpoints are recognised.
        }
    }

    /** Adds an endpoint this node listens on or advertises. */
    public void addOwn(Endpoint endpoint) {
        own.add(endpoint);
    }

    /** Adds an endpoint that was shown to lead back to this node; the oldest is dropped past 64. */
    public void addLearned(Endpoint endpoint) {
        learned.add(endpoint);
        if (learned.size() > MAX_LEARNED) {
            Iterator<Endpoint> it = learned.iterator();
            it.next();
            it.remove();
        }
    }

    /** True if dialling {@code e} would reach this node. */
    public boolean isSelf(Endpoint e) {
        if (own.contains(e) || learned.contains(e)) {
            return true;
        }
        for (Endpoint mine : own) {
            if (mine.scheme().equals(e.scheme()) && mine.port() == e.port() && mine.path().equals(e.path())
                    && (mine.isWildcard() || mine.isLoopback()) && localHosts.contains(e.host())) {
                return true;
            }
        }
        return false;
    }
}
