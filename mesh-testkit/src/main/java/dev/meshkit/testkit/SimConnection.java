package dev.meshkit.testkit;

import dev.meshkit.api.Endpoint;
import dev.meshkit.api.spi.Cancellable;
import dev.meshkit.api.spi.Connection;
import dev.meshkit.api.spi.ConnectionHandler;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * One end of a simulated connection. The two ends of a connection are separate objects, each with
 * its own state, because in a real network the ends learn of a close at different times.
 */
final class SimConnection implements Connection {
    enum State {
        /** Dialling end waiting for the handshake; never seen by a handler in this state. */
        CONNECTING,
        OPEN,
        /** Closed locally or by the remote; {@link #notified} says whether onClose has run. */
        CLOSED
    }

    final SimNetwork network;
    final SimTransport transport;
    final ConnectionHandler handler;
    final boolean inbound;
    final String remoteAddress;
    final long id;
    SimConnection peer;
    State state = State.CONNECTING;
    // True once onClose ran, or was suppressed because the node crashed: never call the handler again.
    boolean notified;
    // Arrival time of the latest message sent from this end: later ones may not arrive earlier (FIFO).
    long lastArrival;

    // Dialling end only.
    Endpoint target;
    CompletableFuture<Connection> dialFuture;
    Cancellable dialTimeout;

    SimConnection(SimNetwork network, SimTransport transport, ConnectionHandler handler, boolean inbound,
            String remoteAddress, long id) {
        this.network = network;
        this.transport = transport;
        this.handler = handler;
        this.inbound = inbound;
        this.remoteAddress = remoteAddress;
        this.id = id;
    }

    SimNode node() {
        return transport.node;
    }

    /**
     * Always succeeds on an open connection: the simulated network has no bandwidth limit, so nothing
     * queues and the {@code maxQueuedBytes} limit is never reached. The frame is copied, as a real
     * transport would serialise it, so the caller may reuse the array.
     */
    @Override
    public boolean send(byte[] frame) {
        Objects.requireNonNull(frame, "frame");
        synchronized (network.lock) {
            if (state != State.OPEN) {
                return false;
            }
            network.sendFrame(this, frame.clone());
            return true;
        }
    }

    @Override
    public long queuedBytes() {
        return 0;
    }

    @Override
    public void close(int code, String reason) {
        synchronized (network.lock) {
            network.closeEnd(this, code, reason == null ? "" : reason);
        }
    }

    @Override
    public boolean isOpen() {
        synchronized (network.lock) {
            return state == State.OPEN;
        }
    }

    @Override
    public boolean inbound() {
        return inbound;
    }

    @Override
    public String remoteAddress() {
        return remoteAddress;
    }

    @Override
    public String toString() {
        String remote = peer == null ? remoteAddress : peer.node().name;
        return "SimConnection#" + id + "[" + node().name + (inbound ? " <- " : " -> ") + remote + ", " + state + "]";
    }
}
