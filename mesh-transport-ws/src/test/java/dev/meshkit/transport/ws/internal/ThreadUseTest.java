package dev.meshkit.transport.ws.internal;

import static dev.meshkit.transport.ws.internal.Fixtures.any;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshkit.api.spi.Connection;
import dev.meshkit.api.spi.Listener;
import dev.meshkit.api.spi.TransportOptions;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.java_websocket.client.WebSocketClient;
import org.java_websocket.handshake.ServerHandshake;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Threads are the scarce resource when one JVM hosts many nodes with many links, so their use is
 * measured and bounded here.
 */
@Timeout(60)
class ThreadUseTest {
    private static final int CONNECTIONS = 20;

    private static Set<Thread> threads() {
        return new HashSet<>(Thread.getAllStackTraces().keySet());
    }

    private static List<String> newThreads(Set<Thread> before) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> !before.contains(t) && t.isAlive())
                .map(Thread::getName)
                .sorted()
                .collect(Collectors.toList());
    }

    @Test
    void outboundConnectionsCostLessThanOneThreadEach() throws Exception {
        try (WsTransport server = new WsTransport(TransportOptions.defaults());
                WsTransport dialer = new WsTransport(TransportOptions.defaults())) {
            Listener listener = server.listen(any(), Recorder.echo()).get(5, TimeUnit.SECONDS);
            warmUp(listener);
            Set<Thread> before = threads();
            List<Connection> open = new ArrayList<>();
            List<Recorder> recorders = new ArrayList<>();
            for (int i = 0; i < CONNECTIONS; i++) {
                Recorder r = new Recorder();
                recorders.add(r);
                open.add(dialer.dial(listener.endpoint(), r).get(5, TimeUnit.SECONDS));
            }
            // Traffic on every connection, so threads started lazily for reading and writing exist too.
            for (int i = 0; i < CONNECTIONS; i++) {
                open.get(i).send(new byte[] {(byte) i});
                recorders.get(i).awaitFrame();
            }
            List<String> grown = newThreads(before);
            System.out.printf("MeshKit dialler: %d connections added %d threads (%.2f per connection): %s%n",
                    CONNECTIONS, grown.size(), grown.size() / (double) CONNECTIONS, grown);
            // Measured: 2 whatever the number of connections (the client selector and the timer).
            // One thread per connection would give 22.
            assertTrue(grown.size() <= 3, "thread growth " + grown.size() + " for " + CONNECTIONS + ": " + grown);
        }
    }

    /** Makes the listener start its own threads (workers, timer) so they are not counted as the dialler's. */
    private static void warmUp(Listener listener) throws Exception {
        try (WsTransport other = new WsTransport(TransportOptions.defaults())) {
            warmUp(other, listener);
        }
    }

    private static void warmUp(WsTransport dialer, Listener listener) throws Exception {
        Recorder r = new Recorder();
        Connection c = dialer.dial(listener.endpoint(), r).get(5, TimeUnit.SECONDS);
        // Two round trips: the server starts its timer just after queuing the first reply, which
        // may reach us first; by the second reply that has certainly happened.
        for (int i = 0; i < 2; i++) {
            c.send(new byte[1]);
            r.awaitFrame();
        }
    }

    /** The figure that decided against Java-WebSocket's client for dialling; reported, not asserted. */
    @Test
    void javaWebSocketClientCostForComparison() throws Exception {
        try (WsTransport server = new WsTransport(TransportOptions.defaults())) {
            Listener listener = server.listen(any(), Recorder.echo()).get(5, TimeUnit.SECONDS);
            warmUp(listener);
            URI uri = listener.endpoint().toUri();
            Set<Thread> before = threads();
            List<WebSocketClient> clients = new ArrayList<>();
            try {
                for (int i = 0; i < CONNECTIONS; i++) {
                    WebSocketClient c = new WebSocketClient(uri) {
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
                        }
                    };
                    clients.add(c);
                    assertTrue(c.connectBlocking(5, TimeUnit.SECONDS));
                    c.send(new byte[] {1});
                }
                List<String> grown = newThreads(before);
                System.out.printf("Java-WebSocket client: %d connections added %d threads (%.2f per connection)%n",
                        CONNECTIONS, grown.size(), grown.size() / (double) CONNECTIONS);
            } finally {
                for (WebSocketClient c : clients) {
                    c.closeBlocking();
                }
            }
        }
    }

    @Test
    void inboundConnectionsCostNoThreads() throws Exception {
        try (WsTransport server = new WsTransport(TransportOptions.defaults());
                WsTransport dialer = new WsTransport(TransportOptions.defaults())) {
            Listener listener = server.listen(any(), Recorder.echo()).get(5, TimeUnit.SECONDS);
            // Warm both sides so their shared threads exist before counting.
            warmUp(dialer, listener);
            Set<Thread> before = threads();
            for (int i = 0; i < CONNECTIONS; i++) {
                Recorder r = new Recorder();
                dialer.dial(listener.endpoint(), r).get(5, TimeUnit.SECONDS).send(new byte[1]);
                r.awaitFrame();
            }
            List<String> grown = newThreads(before);
            System.out.printf("MeshKit listener: %d more connections (both ends in this JVM) added %d threads: %s%n",
                    CONNECTIONS, grown.size(), grown);
            // The dialler's pool may still start its second thread; the listener adds none.
            assertTrue(grown.stream().allMatch(n -> n.contains("-client-")),
                    "thread growth " + grown + " (server " + server + ", dialler " + dialer + ")");
            assertTrue(grown.size() <= 1, "thread growth " + grown);
        }
    }

    private static List<String> leftovers(Set<Thread> before) {
        return newThreads(before).stream()
                // The JVM-wide common pool is not ours to count.
                .filter(n -> !n.startsWith("ForkJoinPool.commonPool"))
                .collect(Collectors.toList());
    }

    @Test
    void closeLeavesNoThreadsBehind() throws Exception {
        Set<Thread> before = threads();
        WsTransport a = new WsTransport(TransportOptions.defaults());
        WsTransport b = new WsTransport(TransportOptions.defaults());
        Listener la = a.listen(any(), Recorder.echo()).get(5, TimeUnit.SECONDS);
        Listener lb = b.listen(any(), Recorder.echo()).get(5, TimeUnit.SECONDS);
        for (int i = 0; i < 5; i++) {
            Recorder r = new Recorder();
            a.dial(lb.endpoint(), r).get(5, TimeUnit.SECONDS).send(new byte[] {1});
            r.awaitFrame();
            Recorder s = new Recorder();
            b.dial(la.endpoint(), s).get(5, TimeUnit.SECONDS).send(new byte[] {2});
            s.awaitFrame();
        }
        assertTrue(newThreads(before).stream().anyMatch(n -> n.contains("-selector-")));
        a.close();
        b.close();
        // The threads are told to end by close(); give them a moment to finish.
        List<String> left = leftovers(before);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!left.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(50);
            left = leftovers(before);
        }
        assertEquals(List.of(), left, "threads left after close");
    }
}
