package dev.meshkit.core;

import dev.meshkit.api.spi.Transport;
import dev.meshkit.core.transport.mem.MemTransport;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * An in-memory network for nodes in one JVM: endpoints {@code mem://NAME}. Each network is its own
 * namespace, so tests running in parallel never see each other's nodes. Frames are handed over
 * without copying or threads of their own; there is no latency or loss (see mesh-testkit for that).
 *
 * <pre>{@code
 * MemNetwork net = new MemNetwork();
 * MeshNode a = Mesh.builder().transport(net.transport()).listen("mem://a").build();
 * }</pre>
 */
public final class MemNetwork {
    private final ConcurrentMap<String, MemTransport.Bound> listeners = new ConcurrentHashMap<>();

    /** A transport for one node of this network. */
    public Transport transport() {
        return new MemTransport(listeners, null);
    }

    /**
     * A transport whose connections show {@code ip} as their remote address at the other end (with a
     * port of their own), as if the node sat at that IP address: for tests of the defences keyed by
     * address, subnet and scope, without any real network.
     */
    public Transport transportAt(String ip) {
        if (dev.meshkit.api.AddressRange.ipLiteral(ip) == null) {
            throw new IllegalArgumentException("not an IP literal: " + ip);
        }
        return new MemTransport(listeners, ip);
    }

    /** Number of endpoints currently listening, for tests. */
    public int listenerCount() {
        return listeners.size();
    }
}
