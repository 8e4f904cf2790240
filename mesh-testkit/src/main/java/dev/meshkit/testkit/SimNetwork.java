package dev.meshkit.testkit;

import dev.meshkit.api.Endpoint;
import dev.meshkit.api.ErrorCode;
import dev.meshkit.api.MeshException;
import dev.meshkit.api.spi.Connection;
import dev.meshkit.api.spi.ConnectionHandler;
import dev.meshkit.api.spi.Listener;
import dev.meshkit.api.spi.Transport;
import dev.meshkit.api.spi.TransportOptions;
import dev.meshkit.api.spi.TransportProvider;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A simulated network for {@code sim://} endpoints, driven by a {@link Simulation}'s virtual clock.
 * Each node gets its own {@link Transport} from {@link #transport(String)}; the node name identifies
 * the node for latency, partitions, crashes and statistics.
 *
 * <h2>Addressing</h2>
 * An endpoint is a name: {@code listen(sim://node-7)} binds exactly that endpoint (port 0 stays 0, it
 * is not replaced by a "free port"), so peers can dial {@code sim://node-7} without learning a port.
 * By convention the host is the node's name; if it is not, latency and partitions still use the
 * name of the node that listens. Binding an endpoint that is already bound fails with
 * {@code INVALID_ENDPOINT}.
 *
 * <h2>Handshake</h2>
 * A dial costs one round trip: the dial request reaches the listener after one one-way latency and
 * the accepting end opens there ({@code onOpen} with {@code inbound() == true}); the acceptance
 * travels back and the dialling end opens one more latency later ({@code onOpen}, then the dial
 * future completes). A real WebSocket needs about two round trips (TCP, then the upgrade); one is
 * enough to exercise the protocol's ordering and keeps scenarios quick. A dial fails with
 * {@code CONNECT_FAILED}:
 * <ul>
 *   <li>after one round trip ("connection refused") if nothing listens at the endpoint on arrival,
 *       including a crashed or closed listener;
 *   <li>after the dialler's {@code connectTimeoutMillis} if the request or answer is lost to a
 *       partition, or the handshake simply takes longer than that.
 * </ul>
 * A failed dial never calls the handler: only connections that opened get {@code onClose}.
 *
 * <h2>Frames</h2>
 * A frame arrives after a latency sampled from the {@link LatencyModel}, but never before a frame
 * sent earlier in the same direction of the same connection: arrival = max(previous arrival,
 * now + sample). Close notices and the handshake travel in the same FIFO stream, so a receiver sees
 * {@code onOpen}, the frames in order, then {@code onClose} exactly once. Frames sent to an end that
 * has closed by the time they arrive are dropped. An inbound frame larger than the receiver's
 * {@code maxFrameBytes} closes the connection with code 1009, as a real transport does. There is no
 * bandwidth model: {@code queuedBytes()} is always 0 and {@code send} on an open connection always
 * returns true.
 *
 * <h2>Loss</h2>
 * {@link #setLossProbability} drops each frame independently with the given probability. Real
 * MeshKit links run over TCP and never lose a frame short of losing the connection; loss is a stress
 * tool for protocol code that must survive missing messages (e.g. across reconnects). It applies to
 * frames only, not to handshakes or close notices. With probability 0 no random number is drawn, so
 * turning loss on is the only thing that changes the random stream.
 *
 * <h2>Partitions</h2>
 * {@link #partition} cuts the network between two sets of nodes; {@link #isolate} cuts one node off
 * from everyone; cuts accumulate until {@link #heal()} removes them all. Any message whose ends are
 * separated when it is sent or when it would arrive is dropped: frames, handshakes (so dials across
 * a cut time out) and close notices. Connections across a cut are closed on both ends with code
 * 1006 ({@code remote == true}, as a real transport reports a lost link) after the
 * {@linkplain #setPartitionDetectionDelay detection delay}, default zero: the closes run as events
 * at the current virtual time. A connection whose cut heals before the delay passes survives. A
 * {@code null} delay never closes anything, leaving half-open connections for the protocol's own
 * keepalive to detect, as happens with real silent partitions.
 *
 * <h2>Crashes</h2>
 * {@link #crash} kills a node the way a dying process does: its listeners vanish, its pending dials
 * fail, its connection ends close without any callback (the node is dead, it observes nothing), the
 * remote ends see {@code onClose(1006, ..., true)} one latency later (after any frames still in
 * flight), and the node's {@link SimRuntime} in the same simulation is closed, dropping its queued
 * tasks. {@link #crashSilently} models a host that vanishes without resetting its connections: the
 * remote ends stay open and only the protocol's keepalive notices. A crashed node may be restarted
 * by making a new runtime and a new transport under the same name.
 *
 * <p>Like all simulation objects, a network and its transports and connections are thread-safe
 * through the simulation's lock; see {@link Simulation} for the threading model.
 */
public final class SimNetwork {
    /** One-way latency of a new network: a fixed 10 ms. */
    public static final LatencyModel DEFAULT_LATENCY = new FixedLatency(10);

    private static final Logger log = LoggerFactory.getLogger(SimNetwork.class);
    private static final int ABNORMAL = 1006;
    private static final int GOING_AWAY = 1001;
    private static final int TOO_BIG = 1009;
    private static final int FIRST_EPHEMERAL_PORT = 49152;
    private static final int EPHEMERAL_PORTS = 65536 - FIRST_EPHEMERAL_PORT;

    final Object lock;
    private final Simulation simulation;
    private final RandomGenerator random;
    private final Map<String, SimNode> nodes = new HashMap<>();
    private final Map<Endpoint, SimListener> bound = new HashMap<>();
    private final List<Cut> cuts = new ArrayList<>();
    // Every OPEN end; linked so that partition detection queues its events in a reproducible order.
    private final Set<SimConnection> openEnds = new LinkedHashSet<>();
    private final SimNode.Counters totals = new SimNode.Counters();

    private LatencyModel latency = DEFAULT_LATENCY;
    private double lossProbability;
    private Duration partitionDetectionDelay = Duration.ZERO;
    private long nextConnectionId;
    private int nextEphemeral;

    SimNetwork(Simulation simulation, RandomGenerator random) {
        this.simulation = simulation;
        this.lock = simulation.lock();
        this.random = random;
    }

    /** The canonical {@code sim://name:0} endpoint of a node, the one it usually listens at. */
    public static Endpoint endpoint(String nodeName) {
        return Endpoint.parse(SimTransport.SCHEME + "://" + nodeName);
    }

    /** The simulation whose clock this network runs on. */
    public Simulation simulation() {
        return simulation;
    }

    /** A new transport for node {@code nodeName}, with default options. */
    public Transport transport(String nodeName) {
        return transport(nodeName, TransportOptions.defaults());
    }

    /**
     * A new transport for node {@code nodeName}. A node may hold several; a crash of the node closes
     * them all.
     */
    public Transport transport(String nodeName, TransportOptions options) {
        Objects.requireNonNull(nodeName, "nodeName");
        Objects.requireNonNull(options, "options");
        if (nodeName.isEmpty()) {
            throw new IllegalArgumentException("empty node name");
        }
        synchronized (lock) {
            SimNode node = nodes.computeIfAbsent(nodeName, SimNode::new);
            SimTransport t = new SimTransport(this, node, options);
            node.transports.add(t);
            return t;
        }
    }

    /**
     * A provider that makes transports of this network for node {@code nodeName}, for wiring into a
     * node that looks transports up by scheme. Its schemes are {@code {"sim"}}.
     */
    public TransportProvider transportProvider(String nodeName) {
        Objects.requireNonNull(nodeName, "nodeName");
        return new TransportProvider() {
            @Override
            public Set<String> schemes() {
                return Set.of(SimTransport.SCHEME);
            }

            @Override
            public Transport create(TransportOptions options) {
                return transport(nodeName, options);
            }

            @Override
            public String toString() {
                return "SimTransportProvider[" + nodeName + "]";
            }
        };
    }

    /** The latency model in use. */
    public LatencyModel latency() {
        synchronized (lock) {
            return latency;
        }
    }

    /** Replaces the latency model; applies to messages sent from now on. */
    public SimNetwork setLatency(LatencyModel model) {
        Objects.requireNonNull(model, "model");
        synchronized (lock) {
            this.latency = model;
            return this;
        }
    }

    /** Probability that a frame is dropped. */
    public double lossProbability() {
        synchronized (lock) {
            return lossProbability;
        }
    }

    /** Drops each frame sent from now on with probability {@code p} (see the class comment). */
    public SimNetwork setLossProbability(double p) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("loss probability must be in [0, 1]: " + p);
        }
        synchronized (lock) {
            this.lossProbability = p;
            return this;
        }
    }

    /** How long after a cut its connections are closed, or {@code null} for never. */
    public Duration partitionDetectionDelay() {
        synchronized (lock) {
            return partitionDetectionDelay;
        }
    }

    /**
     * Sets how long after a cut its connections are closed with 1006; {@code null} leaves them
     * half-open. Applies to cuts made from now on.
     */
    public SimNetwork setPartitionDetectionDelay(Duration delay) {
        if (delay != null && delay.isNegative()) {
            throw new IllegalArgumentException("negative delay: " + delay);
        }
        synchronized (lock) {
            this.partitionDetectionDelay = delay;
            return this;
        }
    }

    /**
     * Cuts the network between {@code sideA} and {@code sideB} (node names; they must not overlap).
     * Nodes in neither set are unaffected.
     */
    public void partition(Set<String> sideA, Set<String> sideB) {
        Set<String> a = Set.copyOf(sideA);
        Set<String> b = Set.copyOf(sideB);
        for (String n : a) {
            if (b.contains(n)) {
                throw new IllegalArgumentException(n + " is on both sides of the partition");
            }
        }
        addCut(new Cut(a, b));
    }

    /** Cuts {@code nodeName} off from every other node. */
    public void isolate(String nodeName) {
        addCut(new Cut(Set.of(nodeName), null));
    }

    /** Removes every cut; connections already closed stay closed, new dials succeed again. */
    public void heal() {
        synchronized (lock) {
            cuts.clear();
            log.debug("network healed at {}", simulation.now());
        }
    }

    /** True if no cut separates the two nodes. */
    public boolean reachable(String from, String to) {
        synchronized (lock) {
            return isReachable(from, to);
        }
    }

    /** Crashes node {@code nodeName}; its peers see their connections close with 1006. */
    public void crash(String nodeName) {
        crash(nodeName, false);
    }

    /** Crashes node {@code nodeName} without its peers noticing; only their keepalive can tell. */
    public void crashSilently(String nodeName) {
        crash(nodeName, true);
    }

    /** True if some transport listens at {@code endpoint}. */
    public boolean isBound(Endpoint endpoint) {
        synchronized (lock) {
            return bound.containsKey(endpoint);
        }
    }

    /** Connection ends open right now, over all nodes (a connection open at both ends counts twice). */
    public int openConnectionEnds() {
        synchronized (lock) {
            return openEnds.size();
        }
    }

    /** Counters over the whole network since creation or the last {@link #resetStats()}. */
    public NetworkStats stats() {
        synchronized (lock) {
            return totals.snapshot();
        }
    }

    /** Counters of one node (see {@link NetworkStats} for what "sent" and "delivered" mean there). */
    public NetworkStats stats(String nodeName) {
        synchronized (lock) {
            SimNode node = nodes.get(nodeName);
            return node == null ? NetworkStats.ZERO : node.counters.snapshot();
        }
    }

    /** Zeroes every counter, e.g. after a benchmark's warm-up. */
    public void resetStats() {
        synchronized (lock) {
            totals.reset();
            for (SimNode n : nodes.values()) {
                n.counters.reset();
            }
        }
    }

    @Override
    public String toString() {
        synchronized (lock) {
            return "SimNetwork[nodes=" + nodes.size() + ", open ends=" + openEnds.size() + ", cuts=" + cuts.size() + "]";
        }
    }

    // ---- behaviour; every method below runs holding the lock ----

    CompletableFuture<Listener> bind(SimTransport transport, Endpoint endpoint, ConnectionHandler handler) {
        if (bound.containsKey(endpoint)) {
            return CompletableFuture.failedFuture(
                    new MeshException(ErrorCode.INVALID_ENDPOINT, endpoint + " is already bound"));
        }
        SimListener listener = new SimListener(transport, endpoint, handler);
        bound.put(endpoint, listener);
        transport.listeners.add(listener);
        return CompletableFuture.completedFuture(listener);
    }

    void unbind(SimListener listener) {
        bound.remove(listener.endpoint, listener);
        listener.transport.listeners.remove(listener);
    }

    CompletableFuture<Connection> dial(SimTransport transport, Endpoint endpoint, ConnectionHandler handler) {
        SimConnection client = new SimConnection(this, transport, handler, false,
                endpoint.host() + ":" + endpoint.port(), nextConnectionId++);
        client.target = endpoint;
        client.dialFuture = new CompletableFuture<>();
        transport.ends.add(client);
        long timeout = transport.options.connectTimeoutMillis();
        client.dialTimeout = simulation.enqueue(timeout, () -> dialFailed(client, "timed out after " + timeout + " ms"), null);
        // Route towards whoever listens now; whether anyone still listens is decided on arrival.
        SimListener listener = bound.get(endpoint);
        String destination = listener != null ? listener.transport.node.name : endpoint.host();
        sendControl(transport.node.name, destination, null, () -> dialArrived(client, endpoint));
        return client.dialFuture;
    }

    private void dialArrived(SimConnection client, Endpoint endpoint) {
        if (client.state != SimConnection.State.CONNECTING) {
            return; // the dialler gave up meanwhile; nobody waits for an answer
        }
        String from = client.node().name;
        SimListener listener = bound.get(endpoint);
        if (listener == null) {
            sendControl(endpoint.host(), from, null, () -> dialFailed(client, "connection refused"));
            return;
        }
        SimTransport accepting = listener.transport;
        if (!isReachable(from, accepting.node.name)) {
            return;
        }
        SimConnection server = new SimConnection(this, accepting, listener.handler, true,
                from + ":" + (FIRST_EPHEMERAL_PORT + (nextEphemeral++ % EPHEMERAL_PORTS)), nextConnectionId++);
        server.peer = client;
        client.peer = server;
        server.state = SimConnection.State.OPEN;
        openEnds.add(server);
        accepting.ends.add(server);
        opened(accepting.node);
        // Queue the acceptance before onOpen runs, so it precedes in FIFO order anything the accepting
        // side sends from onOpen: the dialling end must open before its first frame arrives.
        sendControl(accepting.node.name, from, server, () -> dialAccepted(client));
        server.handler.onOpen(server);
    }

    private void dialAccepted(SimConnection client) {
        SimConnection server = client.peer;
        if (client.state != SimConnection.State.CONNECTING) {
            // The dialler gave up (timeout, closed, crashed): reset the accepted end, as TCP would,
            // unless the dialler's host vanished without a trace.
            if (!client.transport.silent) {
                sendControl(client.node().name, server.node().name, client,
                        () -> remoteClosed(server, ABNORMAL, "connection reset"));
            }
            return;
        }
        client.state = SimConnection.State.OPEN;
        client.dialTimeout.cancel();
        openEnds.add(client);
        opened(client.node());
        client.handler.onOpen(client);
        client.dialFuture.complete(client);
    }

    private void dialFailed(SimConnection client, String reason) {
        if (client.state != SimConnection.State.CONNECTING) {
            return;
        }
        client.state = SimConnection.State.CLOSED;
        client.notified = true;
        client.transport.ends.remove(client);
        client.dialTimeout.cancel();
        totals.dialsFailed++;
        client.node().counters.dialsFailed++;
        client.dialFuture.completeExceptionally(new MeshException(ErrorCode.CONNECT_FAILED,
                "dial from " + client.node().name + " to " + client.target + " failed: " + reason));
    }

    void sendFrame(SimConnection from, byte[] frame) {
        SimNode src = from.node();
        int len = frame.length;
        totals.framesSent++;
        totals.bytesSent += len;
        src.counters.framesSent++;
        src.counters.bytesSent += len;
        if (lossProbability > 0 && random.nextDouble() < lossProbability) {
            dropped(src, len);
            return;
        }
        SimConnection to = from.peer;
        if (!isReachable(src.name, to.node().name)) {
            dropped(src, len);
            return;
        }
        long at = arrivalTime(src.name, to.node().name, from);
        simulation.enqueueAt(at, () -> frameArrived(from, to, frame));
    }

    private void frameArrived(SimConnection from, SimConnection to, byte[] frame) {
        int len = frame.length;
        if (to.state != SimConnection.State.OPEN || !isReachable(from.node().name, to.node().name)) {
            dropped(from.node(), len);
            return;
        }
        if (len > to.transport.options.maxFrameBytes()) {
            dropped(from.node(), len);
            closeEnd(to, TOO_BIG, "frame of " + len + " bytes exceeds " + to.transport.options.maxFrameBytes());
            return;
        }
        totals.framesDelivered++;
        totals.bytesDelivered += len;
        to.node().counters.framesDelivered++;
        to.node().counters.bytesDelivered += len;
        to.handler.onFrame(to, frame);
    }

    /** A local, orderly close: our onClose comes as the next event, the remote's after the frames in flight. */
    void closeEnd(SimConnection end, int code, String reason) {
        if (end.state != SimConnection.State.OPEN) {
            return;
        }
        end.state = SimConnection.State.CLOSED;
        openEnds.remove(end);
        // Not called directly: close() is usually called from inside a handler callback, and handler
        // calls for one connection must never nest.
        simulation.enqueue(0, () -> notifyClosed(end, code, reason, false), null);
        SimConnection peer = end.peer;
        sendControl(end.node().name, peer.node().name, end, () -> remoteClosed(peer, code, reason));
    }

    private void remoteClosed(SimConnection end, int code, String reason) {
        if (end.state == SimConnection.State.CONNECTING) {
            // The acceptance was lost (a partition) but the reset got through.
            dialFailed(end, "connection reset");
            return;
        }
        if (end.state != SimConnection.State.OPEN) {
            return; // closed here too, or crashed; the first close wins
        }
        end.state = SimConnection.State.CLOSED;
        openEnds.remove(end);
        notifyClosed(end, code, reason, true);
    }

    private void notifyClosed(SimConnection end, int code, String reason, boolean remote) {
        if (end.notified) {
            return;
        }
        end.notified = true;
        end.transport.ends.remove(end);
        end.handler.onClose(end, code, reason, remote);
    }

    void closeTransport(SimTransport transport) {
        if (transport.closed) {
            return;
        }
        transport.closed = true;
        for (SimListener l : List.copyOf(transport.listeners)) {
            unbind(l);
        }
        for (SimConnection end : List.copyOf(transport.ends)) {
            if (end.state == SimConnection.State.CONNECTING) {
                dialFailed(end, "transport closed");
            } else {
                closeEnd(end, GOING_AWAY, "transport closed");
            }
        }
        transport.node.transports.remove(transport);
    }

    private void crash(String nodeName, boolean silent) {
        Objects.requireNonNull(nodeName, "nodeName");
        synchronized (lock) {
            SimNode node = nodes.get(nodeName);
            if (node != null) {
                for (SimTransport t : List.copyOf(node.transports)) {
                    crashTransport(t, silent);
                }
            }
            simulation.closeRuntime(nodeName);
            log.debug("node {} crashed{} at {}", nodeName, silent ? " silently" : "", simulation.now());
        }
    }

    private void crashTransport(SimTransport transport, boolean silent) {
        transport.closed = true;
        transport.silent = silent;
        for (SimListener l : List.copyOf(transport.listeners)) {
            unbind(l);
        }
        for (SimConnection end : List.copyOf(transport.ends)) {
            if (end.state == SimConnection.State.CONNECTING) {
                dialFailed(end, "node crashed");
                continue;
            }
            boolean wasOpen = end.state == SimConnection.State.OPEN;
            end.state = SimConnection.State.CLOSED;
            end.notified = true; // a dead node observes nothing
            openEnds.remove(end);
            if (wasOpen && !silent) {
                SimConnection peer = end.peer;
                sendControl(end.node().name, peer.node().name, end,
                        () -> remoteClosed(peer, ABNORMAL, "connection lost"));
            }
        }
        transport.ends.clear();
        transport.node.transports.remove(transport);
    }

    private void addCut(Cut cut) {
        synchronized (lock) {
            cuts.add(cut);
            log.debug("partition {} at {}", cut, simulation.now());
            if (partitionDetectionDelay == null) {
                return;
            }
            long delay = partitionDetectionDelay.toMillis();
            for (SimConnection end : openEnds) {
                if (cut.separates(end.node().name, end.peer.node().name)) {
                    simulation.enqueue(delay, () -> lostToPartition(end), null);
                }
            }
        }
    }

    private void lostToPartition(SimConnection end) {
        if (end.state != SimConnection.State.OPEN || isReachable(end.node().name, end.peer.node().name)) {
            return; // closed meanwhile, or the cut healed in time
        }
        end.state = SimConnection.State.CLOSED;
        openEnds.remove(end);
        notifyClosed(end, ABNORMAL, "connection lost: network partition", true);
    }

    /**
     * Sends a handshake step or close notice from node {@code from} to node {@code to}; it is lost if a
     * cut separates them at either end of its trip. With {@code fifo} it keeps its place in that
     * end's outgoing stream.
     */
    private void sendControl(String from, String to, SimConnection fifo, Runnable onArrival) {
        if (!isReachable(from, to)) {
            return;
        }
        long at = arrivalTime(from, to, fifo);
        simulation.enqueueAt(at, () -> {
            if (isReachable(from, to)) {
                onArrival.run();
            }
        });
    }

    private long arrivalTime(String from, String to, SimConnection fifo) {
        long sample = Math.max(0, latency.sampleMillis(from, to, random));
        long at = simulation.nowMillis() + sample;
        if (fifo != null) {
            at = Math.max(at, fifo.lastArrival);
            fifo.lastArrival = at;
        }
        return at;
    }

    private boolean isReachable(String from, String to) {
        if (cuts.isEmpty()) {
            return true;
        }
        for (Cut cut : cuts) {
            if (cut.separates(from, to)) {
                return false;
            }
        }
        return true;
    }

    private void opened(SimNode node) {
        totals.connectionsOpened++;
        node.counters.connectionsOpened++;
    }

    private void dropped(SimNode sender, int len) {
        totals.framesDropped++;
        totals.bytesDropped += len;
        sender.counters.framesDropped++;
        sender.counters.bytesDropped += len;
    }

    /** A cut between node sets; {@code b == null} means "every node not in {@code a}". */
    private record Cut(Set<String> a, Set<String> b) {
        boolean separates(String x, String y) {
            return (a.contains(x) && onB(y)) || (a.contains(y) && onB(x));
        }

        private boolean onB(String n) {
            return b == null ? !a.contains(n) : b.contains(n);
        }
    }
}
