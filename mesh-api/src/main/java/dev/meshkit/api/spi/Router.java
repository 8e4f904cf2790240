package dev.meshkit.api.spi;

import dev.meshkit.api.wire.Envelope;
import java.util.concurrent.CompletableFuture;

/**
 * Delivers addressed messages to nodes that are not neighbours: by direct dial, relay or circuit.
 * The node itself handles neighbours; the router is asked only for the rest.
 */
public interface Router {
    /**
     * Sends {@code envelope} towards its destination. The future completes when the message has been
     * handed to the next hop, or exceptionally with a {@link dev.meshkit.api.NoRouteException}.
     */
    CompletableFuture<Void> route(Envelope envelope);

    /** Releases the router's resources when the node stops. */
    default void close() {
    }
}
