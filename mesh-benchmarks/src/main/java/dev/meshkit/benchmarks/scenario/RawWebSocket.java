package dev.meshkit.benchmarks.scenario;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.java_websocket.WebSocket;
import org.java_websocket.client.WebSocketClient;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.handshake.ServerHandshake;
import org.java_websocket.server.WebSocketServer;

/**
 * The baseline MeshKit's relay is compared with: plain Java-WebSocket on 127.0.0.1, binary messages one
 * way, either straight from a client to a server or through a relay server that forwards each message
 * (copied out of the frame, as any relay must) on its own client link to a second server. No MeshKit
 * code is involved; the window and the timing are the same as for the mesh.
 */
final class RawWebSocket implements AutoCloseable {
    private final Sink sink;
    private final Relay relay;
    private final Client client;

    private RawWebSocket(Sink sink, Relay relay, Client client) {
        this.sink = sink;
        this.relay = relay;
        this.client = client;
    }

    /** A client connected straight to a sink server. */
    static RawWebSocket direct() throws InterruptedException {
        Sink sink = Sink.started();
        Client c = Client.connected(sink.getPort());
        return new RawWebSocket(sink, null, c);
    }

    /** A client connected to a relay server, which forwards to a sink server. */
    static RawWebSocket twoHop() throws InterruptedException {
        Sink sink = Sink.started();
        Relay relay = Relay.started(sink.getPort());
        Client c = Client.connected(relay.getPort());
        return new RawWebSocket(sink, relay, c);
    }

    /** Delivery reports go to {@code p} from now on. */
    void probe(Probe p) {
        sink.probe = p;
    }

    /** Sends message {@code i} of the current probe (a copy of its payload, as MeshKit's broadcast copies). */
    void send(Probe p, int i) {
        client.send(p.payload(i).clone());
    }

    @Override
    public void close() throws InterruptedException {
        client.closeBlocking();
        if (relay != null) {
            relay.out.closeBlocking();
            relay.stop(2000);
        }
        sink.stop(2000);
    }

    /** A loopback server on a free port that only handles binary messages. */
    private abstract static class RawServer extends WebSocketServer {
        private final CountDownLatch started = new CountDownLatch(1);
        private final String role;

        RawServer(String role) {
            super(new InetSocketAddress("127.0.0.1", 0));
            this.role = role;
            setReuseAddr(true);
            setTcpNoDelay(true);
        }

        /** Starts the server and waits until it listens. */
        void startAndWait() throws InterruptedException {
            start();
            if (!started.await(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("raw " + role + " server did not start");
            }
        }

        @Override
        public void onMessage(WebSocket conn, String message) {
        }

        @Override
        public void onOpen(WebSocket conn, ClientHandshake handshake) {
        }

        @Override
        public void onClose(WebSocket conn, int code, String reason, boolean remote) {
        }

        @Override
        public void onError(WebSocket conn, Exception ex) {
            System.err.println("raw " + role + ": " + ex);
        }

        @Override
        public void onStart() {
            started.countDown();
        }
    }

    private static final class Sink extends RawServer {
        volatile Probe probe;

        private Sink() {
            super("sink");
        }

        static Sink started() throws InterruptedException {
            Sink s = new Sink();
            s.startAndWait();
            return s;
        }

        @Override
        public void onMessage(WebSocket conn, ByteBuffer message) {
            long now = System.nanoTime();
            Probe p = probe;
            if (p != null) {
                p.delivered(0, message, now);
            }
        }
    }

    private static final class Relay extends RawServer {
        final Client out;

        private Relay(Client out) {
            super("relay");
            this.out = out;
        }

        static Relay started(int sinkPort) throws InterruptedException {
            Relay r = new Relay(Client.connected(sinkPort));
            r.startAndWait();
            return r;
        }

        @Override
        public void onMessage(WebSocket conn, ByteBuffer message) {
            byte[] copy = new byte[message.remaining()];
            message.get(copy);
            out.send(copy);
        }
    }

    private static final class Client extends WebSocketClient {
        private Client(int port) {
            super(URI.create("ws://127.0.0.1:" + port + "/"));
            setTcpNoDelay(true);
        }

        static Client connected(int port) throws InterruptedException {
            Client c = new Client(port);
            if (!c.connectBlocking(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("raw client could not connect to port " + port);
            }
            return c;
        }

        @Override
        public void onOpen(ServerHandshake handshake) {
        }

        @Override
        public void onMessage(String message) {
        }

        @Override
        public void onMessage(ByteBuffer bytes) {
        }

        @Override
        public void onClose(int code, String reason, boolean remote) {
        }

        @Override
        public void onError(Exception ex) {
            System.err.println("raw client: " + ex);
        }
    }
}
