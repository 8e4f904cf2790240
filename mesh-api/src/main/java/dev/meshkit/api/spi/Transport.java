package dev.meshkit.api.spi;

import dev.meshkit.api.Endpoint;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Moves frames between nodes. One instance serves one node: its listeners and its outgoing
 * connections.
 */
public interface Transport extends AutoCloseable {
    /** The endpoint schemes this transport handles. */
    Set<String> schemes();

    /**
     * Starts accepting connections at {@code endpoint}. The future completes with the listener, whose
     * {@link Listener#endpoint()} is the endpoint actually bound (e.g. the real port when port 0 or a
     * fallback port was used).
     */
    CompletableFuture<Listener> listen(Endpoint endpoint, ConnectionHandler handler);

    /**
     * Opens a connection to {@code endpoint}. The future completes when the connection is open, or
     * exceptionally with a {@link dev.meshkit.api.MeshException} of code {@code CONNECT_FAILED}.
     */
    CompletableFuture<Connection> dial(Endpoint endpoint, ConnectionHandler handler);

    /** Closes every listener and connection of this transport. */
    @Override
    void close();
}
