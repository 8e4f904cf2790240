package dev.meshkit.api;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A mesh node: a server and a client at once, which joins the mesh from one known peer, keeps its
 * neighbours alive, and broadcasts and sends signed messages. Build one with {@link Mesh#builder()}.
 *
 * <p>All methods are thread-safe. Handlers and listeners run on the node's event loop.
 */
public interface MeshNode extends AutoCloseable {

    /** This node's id: the SHA-256 of its public key. */
    NodeId id();

    /**
     * Binds the listeners, starts timers and dials the seeds. Completes when the node listens; seeds
     * are dialled in the background.
     */
    CompletableFuture<MeshNode> start();

    /** Where this node listens, with the ports actually bound; empty before {@link #start()}. */
    List<Endpoint> endpoints();

    /** Dials {@code endpoint}; completes with the remote's verified id after the handshake. */
    CompletableFuture<NodeId> connect(Endpoint endpoint);

    /** Same as {@link #connect(Endpoint)}, parsing the text first (a bad text fails the future). */
    default CompletableFuture<NodeId> connect(String endpoint) {
        try {
            return connect(Endpoint.parse(endpoint));
        } catch (InvalidEndpointException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * Signs and sends a message to every node of the mesh, with the configured default hop limit.
     * Every other node delivers it exactly once; this node does not deliver it.
     *
     * @throws MeshException {@code NOT_RUNNING}, {@code MESSAGE_TOO_LARGE}, {@code BACKPRESSURE} when
     *                       the application calls faster than the node's event loop can take them, or
     *                       {@code RATE_LIMITED} past the per-origin rate peers accept
     */
    MessageId broadcast(String type, byte[] payload);

    /**
     * Like {@link #broadcast(String, byte[])} with an explicit hop limit: {@code ttl} is how many times
     * the message may be forwarded, 0 meaning only neighbours receive it.
     */
    MessageId broadcast(String type, byte[] payload, int ttl);

    /**
     * Signs and sends a message to one node. Completes when handed to the network, or exceptionally:
     * {@link NoRouteException} when the node cannot be reached.
     */
    CompletableFuture<MessageId> sendTo(NodeId destination, String type, byte[] payload);

    /** Calls {@code handler} for every delivered message of {@code type}. */
    Subscription on(String type, MessageHandler handler);

    /** Removes a handler added with {@link #on}. */
    void off(String type, MessageHandler handler);

    /** Calls {@code listener} for every event of this node. */
    Subscription onEvent(MeshEventListener listener);

    /** The current neighbours (a snapshot). */
    List<PeerInfo> peers();

    /**
     * The scores of the peers this node has seen lately, neighbours or not, refreshed about once a
     * second (a snapshot).
     */
    List<PeerScore> scores();

    /** The node's counters (a snapshot). */
    MeshStats stats();

    /** True between a completed {@link #start()} and {@link #stop()}. */
    boolean isRunning();

    /**
     * Tells every neighbour this node is leaving, closes links and listeners, ends timers and threads.
     * Idempotent.
     */
    CompletableFuture<Void> stop();

    /** Stops and waits. */
    @Override
    default void close() {
        stop().join();
    }
}
