package dev.meshkit.core.transport.mem;

import dev.meshkit.api.Endpoint;
import dev.meshkit.api.ErrorCode;
import dev.meshkit.api.MeshException;
import dev.meshkit.api.spi.Connection;
import dev.meshkit.api.spi.ConnectionHandler;
import dev.meshkit.api.spi.Listener;
import dev.meshkit.api.spi.Transport;
import java.util.ArrayDeque;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** One node's view of a {@link dev.meshkit.core.MemNetwork}. */
public final class MemTransport implements Transport {
    private final ConcurrentMap<String, Bound> network;
    private final CopyOnWriteArrayList<Bound> mine = new CopyOnWriteArrayList<>();
    private final CopyOnWriteArrayList<MemConnection> connections = new CopyOnWriteArrayList<>();
    private final AtomicInteger clientCounter = new AtomicInteger();
    private volatile boolean closed;
    private final String ip;

    /** A listening endpoint and the handler of its inbound connections. */
    public record Bound(Endpoint endpoint, ConnectionHandler handler, MemTransport owner) {
    }

    /**
     * Creates a transport attached to {@code network}'s listener table; its connections show
     * {@code ip} (with a port) as their remote address at the other end, or a name of their own if null.
     */
    public MemTransport(ConcurrentMap<String, Bound> network, String ip) {
        this.network = network;
        this.ip = ip;
    }

    @Override
    public Set<String> schemes() {
        return Set.of("mem");
    }

    @Override
    public CompletableFuture<Listener> listen(Endpoint endpoint, ConnectionHandler handler) {
        Bound bound = new Bound(endpoint, handler, this);
        if (closed || network.putIfAbsent(key(endpoint), bound) != null) {
            return CompletableFuture.failedFuture(
                    new MeshException(ErrorCode.CONNECT_FAILED, "mem endpoint in use: " + endpoint));
        }
        mine.add(bound);
        return CompletableFuture.completedFuture(new Listener() {
            @Override
            public Endpoint endpoint() {
                return endpoint;
            }

            @Override
            public void close() {
                network.remove(key(endpoint), bound);
                mine.remove(bound);
            }
        });
    }

    @Override
    public CompletableFuture<Connection> dial(Endpoint endpoint, ConnectionHandler handler) {
        Bound target = network.get(key(endpoint));
        if (closed || target == null) {
            return CompletableFuture.failedFuture(
                    new MeshException(ErrorCode.CONNECT_FAILED, "nothing listens at " + endpoint));
        }
        String clientAddress = ip == null
                ? "mem-client-" + System.identityHashCode(this) + "-" + clientCounter.incrementAndGet()
                : (ip.indexOf(':') >= 0 ? "[" + ip + "]" : ip) + ":" + (40_000 + clientCounter.incrementAndGet() % 20_000);
        MemConnection out = new MemConnection(false, endpoint.host(), handler, this);
        MemConnection in = new MemConnection(true, clientAddress, target.handler(), target.owner());
        out.peer = in;
        in.peer = out;
        connections.add(out);
        target.owner().connections.add(in);
        // Both ends accept frames before either handler hears of the link.
        in.markOpen();
        out.markOpen();
        in.deliverOpen();
        out.deliverOpen();
        return CompletableFuture.completedFuture(out);
    }

    @Override
    public void close() {
        closed = true;
        for (Bound b : mine) {
            network.remove(key(b.endpoint()), b);
        }
        mine.clear();
        for (MemConnection c : connections) {
            c.close(1001, "transport closed");
        }
    }

    private static String key(Endpoint e) {
        return e.host() + ":" + e.port();
    }

    /**
     * One end of an in-memory link. Delivery is synchronous and serialised per receiving end; frames
     * or a close that reach an end before its {@code onOpen} was delivered wait for it, so the
     * handler always sees onOpen, frames, onClose in that order.
     */
    static final class MemConnection implements Connection {
        private final boolean inbound;
        private final String remoteAddress;
        private final ConnectionHandler handler;
        private final MemTransport owner;
        private final Object deliveryLock = new Object();
        private final ArrayDeque<byte[]> early = new ArrayDeque<>();
        private volatile MemConnection peer;
        private volatile boolean open;
        private boolean openDelivered;
        private boolean closeDelivered;
        private Runnable pendingClose;

        MemConnection(boolean inbound, String remoteAddress, ConnectionHandler handler, MemTransport owner) {
            this.inbound = inbound;
            this.remoteAddress = remoteAddress;
            this.handler = handler;
            this.owner = owner;
        }

        void markOpen() {
            open = true;
        }

        void deliverOpen() {
            synchronized (deliveryLock) {
                handler.onOpen(this);
                openDelivered = true;
                while (!early.isEmpty() && pendingClose == null) {
                    handler.onFrame(this, early.poll());
                }
                if (pendingClose != null) {
                    pendingClose.run();
                }
            }
        }

        @Override
        public boolean send(byte[] frame) {
            MemConnection p = peer;
            if (!open || p == null || !p.open) {
                return false;
            }
            p.deliver(frame);
            return true;
        }

        private void deliver(byte[] frame) {
            synchronized (deliveryLock) {
                if (closeDelivered || pendingClose != null) {
                    return;
                }
                if (!openDelivered) {
                    early.add(frame);
                } else {
                    handler.onFrame(this, frame);
                }
            }
        }

        @Override
        public long queuedBytes() {
            return 0;
        }

        @Override
        public void close(int code, String reason) {
            if (!open) {
                return;
            }
            open = false;
            finish(code, reason, false);
            MemConnection p = peer;
            if (p != null && p.open) {
                p.open = false;
                p.finish(code, reason, true);
            }
        }

        private void finish(int code, String reason, boolean remote) {
            Runnable delivery = () -> {
                closeDelivered = true;
                owner.connections.remove(this);
                handler.onClose(this, code, reason, remote);
            };
            synchronized (deliveryLock) {
                if (closeDelivered || pendingClose != null) {
                    return;
                }
                if (!openDelivered) {
                    pendingClose = delivery;
                } else {
                    pendingClose = delivery;
                    delivery.run();
                }
            }
        }

        @Override
        public boolean isOpen() {
            return open;
        }

        @Override
        public boolean inbound() {
            return inbound;
        }

        @Override
        public String remoteAddress() {
            return remoteAddress;
        }
    }
}
