package dev.meshkit.testkit;

import dev.meshkit.api.Endpoint;
import dev.meshkit.api.ErrorCode;
import dev.meshkit.api.MeshException;
import dev.meshkit.api.spi.Connection;
import dev.meshkit.api.spi.ConnectionHandler;
import dev.meshkit.api.spi.Listener;
import dev.meshkit.api.spi.Transport;
import dev.meshkit.api.spi.TransportOptions;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * One node's view of a {@link SimNetwork}: its listeners and its connection ends. All behaviour lives
 * in the network, which sees both ends of every connection; this class checks arguments and state.
 */
final class SimTransport implements Transport {
    static final String SCHEME = "sim";
    private static final Set<String> SCHEMES = Set.of(SCHEME);

    final SimNetwork network;
    final SimNode node;
    final TransportOptions options;
    // Linked for a reproducible order when close() or a crash walks them.
    final Set<SimListener> listeners = new LinkedHashSet<>();
    final Set<SimConnection> ends = new LinkedHashSet<>();
    boolean closed;
    // Crashed without resetting its connections: it will not answer late handshakes either.
    boolean silent;

    SimTransport(SimNetwork network, SimNode node, TransportOptions options) {
        this.network = network;
        this.node = node;
        this.options = options;
    }

    @Override
    public Set<String> schemes() {
        return SCHEMES;
    }

    @Override
    public CompletableFuture<Listener> listen(Endpoint endpoint, ConnectionHandler handler) {
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(handler, "handler");
        synchronized (network.lock) {
            if (closed) {
                return CompletableFuture.failedFuture(
                        new MeshException(ErrorCode.NOT_RUNNING, "transport of " + node.name + " is closed"));
            }
            if (!SCHEME.equals(endpoint.scheme())) {
                return CompletableFuture.failedFuture(
                        new MeshException(ErrorCode.INVALID_ENDPOINT, "not a sim endpoint: " + endpoint));
            }
            return network.bind(this, endpoint, handler);
        }
    }

    @Override
    public CompletableFuture<Connection> dial(Endpoint endpoint, ConnectionHandler handler) {
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(handler, "handler");
        synchronized (network.lock) {
            if (closed) {
                return CompletableFuture.failedFuture(
                        new MeshException(ErrorCode.CONNECT_FAILED, "transport of " + node.name + " is closed"));
            }
            if (!SCHEME.equals(endpoint.scheme())) {
                return CompletableFuture.failedFuture(
                        new MeshException(ErrorCode.CONNECT_FAILED, "not a sim endpoint: " + endpoint));
            }
            return network.dial(this, endpoint, handler);
        }
    }

    @Override
    public void close() {
        synchronized (network.lock) {
            network.closeTransport(this);
        }
    }

    @Override
    public String toString() {
        return "SimTransport[" + node.name + (closed ? ", closed]" : "]");
    }
}
