package dev.meshkit.testkit;

import static dev.meshkit.testkit.RecordingHandler.bytes;
import static java.time.Duration.ofMillis;
import static java.time.Duration.ofSeconds;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshkit.api.Endpoint;
import dev.meshkit.api.ErrorCode;
import dev.meshkit.api.MeshException;
import dev.meshkit.api.spi.Connection;
import dev.meshkit.api.spi.Listener;
import dev.meshkit.api.spi.Transport;
import dev.meshkit.api.spi.TransportOptions;
import dev.meshkit.api.spi.TransportProvider;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SimNetworkTest {
    private final Simulation sim = new Simulation(42);
    private final SimNetwork net = sim.newNetwork();
    private final List<RecordingHandler> handlers = new ArrayList<>();

    /** A fake node: a transport listening at sim://name with a recording handler. */
    private final class Node {
        final String name;
        final Transport transport;
        final RecordingHandler handler;
        final Listener listener;

        Node(String name, TransportOptions options) {
            this.name = name;
            this.transport = net.transport(name, options);
            this.handler = new RecordingHandler(name, sim);
            handlers.add(handler);
            this.listener = sim.runUntilDone(transport.listen(SimNetwork.endpoint(name), handler), ofSeconds(1));
        }

        CompletableFuture<Connection> dial(Node to) {
            return transport.dial(SimNetwork.endpoint(to.name), handler);
        }

        Connection connect(Node to) {
            return sim.runUntilDone(dial(to), ofSeconds(30));
        }

        /** The end the listener accepted from {@code from}, once it has opened. */
        Connection acceptedFrom(Node from) {
            return handler.of("open").stream()
                    .map(RecordingHandler.Event::connection)
                    .filter(c -> c.inbound() && c.remoteAddress().startsWith(from.name + ":"))
                    .reduce((x, y) -> y).orElseThrow();
        }
    }

    private Node node(String name) {
        return new Node(name, TransportOptions.defaults());
    }

    @AfterEach
    void handlersKeptTheContract() {
        for (RecordingHandler h : handlers) {
            assertEquals(List.of(), h.violations, "contract violations of " + h.name);
        }
    }

    private long elapsed() {
        return sim.elapsed().toMillis();
    }

    private static long relative(long epochMillis) {
        return epochMillis - Simulation.DEFAULT_EPOCH.toEpochMilli();
    }

    @Test
    void dialOpensTheAcceptingEndAfterOneLatencyAndTheDiallingEndAfterOneRoundTrip() {
        net.setLatency(LatencyModel.fixed(ofMillis(10)));
        Node a = node("a");
        Node b = node("b");
        List<String> order = new ArrayList<>();
        CompletableFuture<Connection> f = a.dial(b);
        f.thenRun(() -> order.add("future " + elapsed() + " opened=" + a.handler.of("open").size()));

        assertTrue(sim.runUntil(f::isDone, ofSeconds(1)));

        Connection out = f.join();
        assertEquals(20, elapsed());
        assertEquals(List.of("future 20 opened=1"), order);
        RecordingHandler.Event accepted = b.handler.of("open").get(0);
        assertEquals(10, relative(accepted.atMillis()));
        assertTrue(accepted.connection().inbound());
        assertTrue(accepted.connection().remoteAddress().matches("a:\\d+"), accepted.connection().remoteAddress());
        assertFalse(out.inbound());
        assertEquals("b:0", out.remoteAddress());
        assertTrue(out.isOpen());
        assertEquals(0, out.queuedBytes());
        assertEquals(2, net.openConnectionEnds());
        assertEquals(1, net.stats("a").connectionsOpened());
    }

    @Test
    void framesArriveAfterTheLatencyInOrder() {
        net.setLatency(LatencyModel.fixed(ofMillis(25)));
        Node a = node("a");
        Node b = node("b");
        Connection ab = a.connect(b);
        long t0 = elapsed();
        byte[] reused = bytes("one");
        assertTrue(ab.send(reused));
        reused[0] = 'X'; // the network copied the frame
        assertTrue(ab.send(bytes("two")));
        sim.runFor(ofMillis(5));
        assertTrue(ab.send(bytes("three")));
        Connection ba = b.acceptedFrom(a);
        assertTrue(ba.send(bytes("back")));

        sim.runFor(ofSeconds(1));

        assertEquals(List.of("one", "two", "three"), b.handler.frames());
        List<Long> at = b.handler.of("frame").stream().map(e -> relative(e.atMillis())).toList();
        assertEquals(List.of(t0 + 25, t0 + 25, t0 + 30), at);
        assertEquals(List.of("back"), a.handler.frames());
        NetworkStats s = net.stats();
        assertEquals(4, s.framesSent());
        assertEquals(4, s.framesDelivered());
        assertEquals(3 + 3 + 5 + 4, s.bytesSent());
        assertEquals(s.bytesSent(), s.bytesDelivered());
        assertEquals(3, net.stats("a").framesSent());
        assertEquals(1, net.stats("a").framesDelivered());
        assertEquals(3, net.stats("b").framesDelivered());
    }

    @Test
    void randomLatencyKeepsEachDirectionInOrder() {
        net.setLatency(LatencyModel.uniform(ofMillis(1), ofMillis(200)));
        Node a = node("a");
        Node b = node("b");
        Connection ab = a.connect(b);
        int frames = 3_000;
        long[] sentAt = new long[frames];
        for (int i = 0; i < frames; i++) {
            int n = i;
            // First one frame every 20 ms: far enough apart that delays vary freely, close enough that
            // consecutive frames would often overtake each other. Then bursts of three per
            // millisecond, where the FIFO rule does most of the work.
            long at = i < 1_000 ? 20L * i : 20_000 + (i - 1_000) / 3;
            sim.schedule(ofMillis(at), () -> {
                sentAt[n] = sim.nowMillis();
                ab.send(bytes(Integer.toString(n)));
            });
        }
        sim.runFor(ofSeconds(30));

        List<RecordingHandler.Event> got = b.handler.of("frame");
        assertEquals(frames, got.size());
        Set<Long> delays = new HashSet<>();
        for (int i = 0; i < frames; i++) {
            assertEquals(Integer.toString(i), got.get(i).frame(), "frame " + i + " out of order");
            long delay = got.get(i).atMillis() - sentAt[i];
            assertTrue(delay >= 1 && delay <= 200, "delay " + delay);
            if (i < 1_000) {
                delays.add(delay);
            }
        }
        // The latency really varied: the order was kept by the FIFO rule, not by luck.
        assertTrue(delays.size() > 100, "distinct delays: " + delays.size());
    }

    @Test
    void dialToAnUnboundEndpointIsRefusedAfterOneRoundTrip() {
        net.setLatency(LatencyModel.fixed(ofMillis(10)));
        Node a = node("a");
        CompletableFuture<Connection> f = a.transport.dial(SimNetwork.endpoint("nobody"), a.handler);
        assertTrue(sim.runUntil(f::isDone, ofSeconds(10)));
        assertEquals(20, elapsed());
        assertConnectFailed(f, "refused");
        assertEquals(1, net.stats("a").dialsFailed());
        assertEquals(List.of(), a.handler.events);
    }

    @Test
    void dialToAClosedListenerIsRefused() {
        Node a = node("a");
        Node b = node("b");
        b.listener.close();
        assertFalse(net.isBound(SimNetwork.endpoint("b")));
        CompletableFuture<Connection> f = a.dial(b);
        sim.runFor(ofSeconds(1));
        assertConnectFailed(f, "refused");
    }

    @Test
    void aHandshakeSlowerThanTheConnectTimeoutFailsAndResetsTheAcceptedEnd() {
        net.setLatency(LatencyModel.fixed(ofSeconds(3)));
        Node a = new Node("a", new TransportOptions(1 << 20, 1 << 20, 5_000));
        Node b = node("b");
        CompletableFuture<Connection> f = a.dial(b);
        assertTrue(sim.runUntil(f::isDone, ofSeconds(60)));
        assertEquals(5_000, elapsed());
        assertConnectFailed(f, "timed out");
        // b accepted at 3 s; a's late answer at 6 s is a reset that reaches b at 9 s.
        sim.runFor(ofSeconds(10));
        RecordingHandler.Event close = b.handler.of("close").get(0);
        assertEquals(9_000, relative(close.atMillis()));
        assertEquals(1006, close.code());
        assertTrue(close.remote());
        assertEquals(List.of(), a.handler.events);
    }

    @Test
    void closeNotifiesBothEndsOnceAfterTheFramesInFlight() {
        net.setLatency(LatencyModel.fixed(ofMillis(10)));
        Node a = node("a");
        Node b = node("b");
        Connection ab = a.connect(b);
        long t0 = sim.nowMillis();
        ab.send(bytes("last words"));
        ab.close(1000, "bye");
        assertFalse(ab.isOpen());
        assertFalse(ab.send(bytes("too late")));
        ab.close(1000, "again"); // idempotent

        sim.runFor(ofSeconds(1));

        RecordingHandler.Event mine = a.handler.of("close").get(0);
        assertEquals(t0, mine.atMillis());
        assertEquals(1000, mine.code());
        assertEquals("bye", mine.reason());
        assertFalse(mine.remote());
        List<String> bSaw = b.handler.events.stream().map(RecordingHandler.Event::kind).toList();
        assertEquals(List.of("open", "frame", "close"), bSaw);
        RecordingHandler.Event theirs = b.handler.of("close").get(0);
        assertEquals(t0 + 10, theirs.atMillis());
        assertEquals(1000, theirs.code());
        assertEquals("bye", theirs.reason());
        assertTrue(theirs.remote());
        assertEquals(1, a.handler.of("close").size());
        assertEquals(0, net.openConnectionEnds());
    }

    @Test
    void simultaneousClosesGiveEachEndItsOwnCloseOnce() {
        Node a = node("a");
        Node b = node("b");
        Connection ab = a.connect(b);
        sim.runFor(ofMillis(50));
        Connection ba = b.acceptedFrom(a);
        ab.close(1000, "from a");
        ba.close(4000, "from b");
        sim.runFor(ofSeconds(1));
        RecordingHandler.Event ac = a.handler.of("close").get(0);
        RecordingHandler.Event bc = b.handler.of("close").get(0);
        assertEquals(List.of(1000, false), List.of(ac.code(), ac.remote()));
        assertEquals(List.of(4000, false), List.of(bc.code(), bc.remote()));
        assertEquals(1, a.handler.of("close").size());
        assertEquals(1, b.handler.of("close").size());
    }

    @Test
    void closingFromInsideACallbackDoesNotNestCallbacks() {
        Node a = node("a");
        Node b = node("b");
        b.handler.onFrameHook = (c, text) -> {
            if (text.equals("stop")) {
                c.close(1008, "policy");
                assertFalse(c.send(bytes("after close")));
            }
        };
        Connection ab = a.connect(b);
        ab.send(bytes("hello"));
        ab.send(bytes("stop"));
        ab.send(bytes("ignored"));
        sim.runFor(ofSeconds(1));
        assertEquals(List.of("hello", "stop"), b.handler.frames());
        assertEquals(1008, a.handler.of("close").get(0).code());
        assertTrue(a.handler.of("close").get(0).remote());
        assertEquals(1, net.stats().framesDropped());
    }

    @Test
    void anOversizedFrameClosesTheConnectionWith1009() {
        Node a = node("a");
        Node b = new Node("b", new TransportOptions(100, 1 << 20, 5_000));
        Connection ab = a.connect(b);
        ab.send(new byte[100]);
        ab.send(new byte[101]);
        sim.runFor(ofSeconds(1));
        assertEquals(1, b.handler.frames().size());
        assertEquals(1009, b.handler.of("close").get(0).code());
        assertFalse(b.handler.of("close").get(0).remote());
        assertEquals(1009, a.handler.of("close").get(0).code());
        assertTrue(a.handler.of("close").get(0).remote());
        assertEquals(1, net.stats().framesDropped());
        assertEquals(101, net.stats().bytesDropped());
    }

    @Test
    void closingATransportClosesItsConnectionsAndListeners() {
        Node a = node("a");
        Node b = node("b");
        a.connect(b);
        b.transport.close();
        sim.runFor(ofSeconds(1));
        assertEquals(1001, a.handler.of("close").get(0).code());
        assertTrue(a.handler.of("close").get(0).remote());
        assertFalse(b.handler.of("close").get(0).remote());
        assertFalse(net.isBound(SimNetwork.endpoint("b")));
        CompletableFuture<Connection> again = b.dial(a);
        assertConnectFailed(again, "closed");
    }

    @Test
    void listenRejectsTakenAndForeignEndpoints() {
        Node a = node("a");
        Transport other = net.transport("other");
        CompletableFuture<Listener> taken = other.listen(SimNetwork.endpoint("a"), a.handler);
        CompletionException e = assertThrows(CompletionException.class, taken::join);
        assertEquals(ErrorCode.INVALID_ENDPOINT, ((MeshException) e.getCause()).code());
        CompletableFuture<Listener> ws = other.listen(Endpoint.parse("ws://127.0.0.1:0"), a.handler);
        assertThrows(CompletionException.class, ws::join);
        CompletableFuture<Connection> wsDial = other.dial(Endpoint.parse("ws://127.0.0.1:80"), a.handler);
        assertConnectFailed(wsDial, "not a sim endpoint");
        // sim://a and sim://a:0 are the same endpoint.
        assertTrue(net.isBound(Endpoint.parse("sim://a:0")));
        assertEquals(Set.of("sim"), other.schemes());
    }

    @Test
    void aTransportProviderMakesTransportsForItsNode() {
        TransportProvider provider = net.transportProvider("p");
        assertEquals(Set.of("sim"), provider.schemes());
        Transport t = provider.create(TransportOptions.defaults());
        RecordingHandler h = new RecordingHandler("p", sim);
        handlers.add(h);
        sim.runUntilDone(t.listen(SimNetwork.endpoint("p"), h), ofSeconds(1));
        Node a = node("a");
        sim.runUntilDone(a.transport.dial(SimNetwork.endpoint("p"), a.handler), ofSeconds(1));
        assertEquals(1, net.stats("p").connectionsOpened());
    }

    @Test
    void lossDropsAboutTheConfiguredShareReproducibly() {
        int frames = 50_000;
        long dropped1 = runLossScenario(7, frames);
        long dropped2 = runLossScenario(7, frames);
        long dropped3 = runLossScenario(8, frames);
        assertEquals(dropped1, dropped2, "same seed, same losses");
        assertNotEquals(dropped1, dropped3, "another seed, other losses");
        double rate = (double) dropped1 / frames;
        assertEquals(0.2, rate, 0.01, "loss rate");
    }

    private static long runLossScenario(long seed, int frames) {
        Simulation s = new Simulation(seed);
        SimNetwork n = s.newNetwork().setLossProbability(0.2).setLatency(LatencyModel.uniform(ofMillis(5), ofMillis(50)));
        RecordingHandler ha = new RecordingHandler("a", s);
        RecordingHandler hb = new RecordingHandler("b", s);
        Transport ta = n.transport("a");
        Transport tb = n.transport("b");
        s.runUntilDone(tb.listen(SimNetwork.endpoint("b"), hb), ofSeconds(1));
        Connection c = s.runUntilDone(ta.dial(SimNetwork.endpoint("b"), ha), ofSeconds(10));
        for (int i = 0; i < frames; i++) {
            c.send(bytes("f" + i));
        }
        s.runFor(ofSeconds(5));
        NetworkStats st = n.stats();
        assertEquals(frames, st.framesSent());
        assertEquals(frames, st.framesDelivered() + st.framesDropped());
        assertEquals(0, st.framesInFlight());
        assertEquals(st.framesDelivered(), hb.frames().size());
        // Survivors are still in order.
        List<Integer> got = hb.frames().stream().map(f -> Integer.parseInt(f.substring(1))).toList();
        for (int i = 1; i < got.size(); i++) {
            assertTrue(got.get(i - 1) < got.get(i), "out of order at " + i + ": " + got.get(i - 1) + " then " + got.get(i));
        }
        assertEquals(List.of(), hb.violations);
        return st.framesDropped();
    }

    @Test
    void aPartitionClosesConnectionsAcrossItAndBlocksDialsUntilHealed() {
        net.setLatency(LatencyModel.fixed(ofMillis(10)));
        Node a = new Node("a", new TransportOptions(1 << 20, 1 << 20, 2_000));
        Node b = node("b");
        Node c = node("c");
        Connection ab = a.connect(b);
        Connection ac = a.connect(c);
        long t0 = sim.nowMillis();

        net.partition(Set.of("a"), Set.of("b"));

        assertFalse(net.reachable("a", "b"));
        assertFalse(net.reachable("b", "a"));
        assertTrue(net.reachable("a", "c"));
        ab.send(bytes("lost"));
        sim.runFor(ofMillis(1));
        RecordingHandler.Event ac1 = a.handler.of("close").get(0);
        RecordingHandler.Event bc1 = b.handler.of("close").get(0);
        assertEquals(List.of(t0, 1006, true), List.of(ac1.atMillis(), ac1.code(), ac1.remote()));
        assertEquals(List.of(t0, 1006, true), List.of(bc1.atMillis(), bc1.code(), bc1.remote()));
        assertSameConnection(ab, ac1.connection());
        assertFalse(ab.send(bytes("closed")));
        assertTrue(ac.isOpen(), "a-c is not across the cut");
        assertTrue(ac.send(bytes("fine")));

        CompletableFuture<Connection> blocked = a.dial(b);
        assertTrue(sim.runUntil(blocked::isDone, ofSeconds(10)));
        assertConnectFailed(blocked, "timed out");
        assertEquals(List.of("fine"), c.handler.frames());
        assertEquals(List.of(), b.handler.frames());
        assertEquals(1, net.stats().framesDropped());

        net.heal();
        assertTrue(net.reachable("a", "b"));
        Connection again = a.connect(b);
        assertTrue(again.send(bytes("hello again")));
        sim.runFor(ofSeconds(1));
        assertEquals(List.of("hello again"), b.handler.frames());
    }

    @Test
    void withoutDetectionAPartitionLeavesConnectionsHalfOpenAndDropsFrames() {
        net.setPartitionDetectionDelay(null);
        Node a = node("a");
        Node b = node("b");
        Connection ab = a.connect(b);
        net.isolate("b");
        assertTrue(ab.send(bytes("into the void")));
        sim.runFor(ofSeconds(5));
        assertTrue(ab.isOpen());
        assertEquals(List.of(), b.handler.frames());
        assertEquals(1, net.stats("a").framesDropped());
        net.heal();
        assertTrue(ab.send(bytes("through")));
        sim.runFor(ofSeconds(1));
        assertEquals(List.of("through"), b.handler.frames());
        assertEquals(List.of(), a.handler.of("close"));
    }

    @Test
    void aFrameSentAcrossACutIsLostEvenIfTheCutHealsBeforeItWouldArrive() {
        net.setLatency(LatencyModel.fixed(ofMillis(100))).setPartitionDetectionDelay(null);
        Node a = node("a");
        Node b = node("b");
        Connection ab = a.connect(b);
        net.isolate("a");
        assertTrue(ab.send(bytes("sent during the cut")));
        sim.runFor(ofMillis(50));
        net.heal();
        assertTrue(ab.send(bytes("sent after the heal")));
        sim.runFor(ofSeconds(1));
        assertEquals(List.of("sent after the heal"), b.handler.frames());
        assertEquals(1, net.stats().framesDropped());
    }

    @Test
    void aFrameInFlightWhenACutBeginsIsLost() {
        net.setLatency(LatencyModel.fixed(ofMillis(100))).setPartitionDetectionDelay(null);
        Node a = node("a");
        Node b = node("b");
        Connection ab = a.connect(b);
        assertTrue(ab.send(bytes("on the wire")));
        sim.runFor(ofMillis(50));
        net.isolate("b");
        sim.runFor(ofSeconds(1));
        assertEquals(List.of(), b.handler.frames());
        assertEquals(1, net.stats().framesDropped());
    }

    @Test
    void aPartitionHealedBeforeDetectionLeavesConnectionsOpen() {
        net.setPartitionDetectionDelay(ofSeconds(3));
        Node a = node("a");
        Node b = node("b");
        Node c = node("c");
        Connection ab = a.connect(b);
        Connection ac = a.connect(c);
        net.partition(Set.of("a"), Set.of("b"));
        sim.runFor(ofSeconds(1));
        net.heal();
        net.partition(Set.of("a"), Set.of("c"));
        sim.runFor(ofSeconds(5));
        assertTrue(ab.isOpen());
        assertFalse(ac.isOpen());
        assertEquals(1006, c.handler.of("close").get(0).code());
    }

    @Test
    void aCrashClosesRemoteEndsWith1006AndKillsTheNode() {
        net.setLatency(LatencyModel.fixed(ofMillis(10)));
        Node a = node("a");
        Node b = node("b");
        Node c = node("c");
        SimRuntime aRuntime = sim.newRuntime("a");
        Connection ba = b.connect(a);
        Connection ca = c.connect(a);
        Connection ab = a.acceptedFrom(b);
        List<String> aTasks = new ArrayList<>();
        aRuntime.schedule(100, () -> aTasks.add("should never run"));
        ab.send(bytes("in flight"));
        sim.runFor(ofMillis(3));
        long t0 = sim.nowMillis();

        net.crash("a");

        assertTrue(aRuntime.isClosed());
        assertFalse(net.isBound(SimNetwork.endpoint("a")));
        assertFalse(ab.isOpen());
        assertFalse(ab.send(bytes("dead")));
        sim.runFor(ofSeconds(1));
        for (Node peer : List.of(b, c)) {
            RecordingHandler.Event close = peer.handler.of("close").get(0);
            assertEquals(1006, close.code(), peer.name);
            assertTrue(close.remote());
            assertEquals(t0 + 10, close.atMillis());
        }
        assertEquals(List.of("in flight"), b.handler.frames(), "frames already on the wire still arrive");
        assertEquals(List.of(), a.handler.of("close"), "a dead node observes nothing");
        assertEquals(List.of(), aTasks);
        assertFalse(ba.isOpen());
        assertFalse(ca.isOpen());

        CompletableFuture<Connection> refused = b.dial(a);
        sim.runFor(ofSeconds(1));
        assertConnectFailed(refused, "refused");

        // Restart under the same name.
        sim.newRuntime("a");
        Node a2 = node("a");
        b.connect(a2);
        assertEquals(1, a2.handler.of("open").size());
    }

    @Test
    void aCrashFailsThePendingDialsOfTheCrashedNode() {
        net.setLatency(LatencyModel.fixed(ofMillis(10)));
        Node a = node("a");
        Node b = node("b");
        CompletableFuture<Connection> f = a.dial(b);
        sim.runFor(ofMillis(15)); // b accepted, the answer is on its way
        net.crash("a");
        assertConnectFailed(f, "crashed");
        sim.runFor(ofSeconds(1));
        // The late answer found nobody: b's accepted end is reset.
        assertEquals(1006, b.handler.of("close").get(0).code());
    }

    @Test
    void aSilentCrashLeavesRemoteEndsOpen() {
        Node a = node("a");
        Node b = node("b");
        Connection ba = b.connect(a);
        net.crashSilently("a");
        sim.runFor(ofSeconds(10));
        assertTrue(ba.isOpen());
        assertTrue(ba.send(bytes("anyone?")));
        sim.runFor(ofSeconds(1));
        assertEquals(1, net.stats("b").framesDropped());
        ba.close(1001, "keepalive timeout");
        sim.runFor(ofSeconds(1));
        assertEquals(List.of(1001), b.handler.of("close").stream().map(RecordingHandler.Event::code).toList());
    }

    @Test
    void matrixLatencyDependsOnRegions() {
        net.setLatency(LatencyModel.matrix(n -> n.substring(0, 2))
                .within("eu", LatencyModel.fixed(ofMillis(5)))
                .between("eu", "us", LatencyModel.fixed(ofMillis(80)))
                .otherwise(LatencyModel.fixed(ofMillis(150)))
                .build());
        Node eu1 = node("eu-1");
        Node eu2 = node("eu-2");
        Node us1 = node("us-1");
        Node ap1 = node("ap-1");
        assertEquals(10, timeToConnect(eu1, eu2));
        assertEquals(160, timeToConnect(eu1, us1));
        assertEquals(160, timeToConnect(us1, eu2));
        assertEquals(300, timeToConnect(ap1, us1));
    }

    @Test
    void matrixLatencyWithoutFallbackRejectsUnknownPairs() {
        MatrixLatency m = LatencyModel.matrix(node -> node).within("a", LatencyModel.fixed(ofMillis(1))).build();
        assertEquals(1, m.sampleMillis("a", "a", sim.random("t")));
        assertThrows(IllegalStateException.class, () -> m.sampleMillis("a", "b", sim.random("t")));
    }

    @Test
    void statsCanBeReset() {
        Node a = node("a");
        Node b = node("b");
        a.connect(b).send(bytes("x"));
        sim.runFor(ofSeconds(1));
        assertEquals(1, net.stats().framesDelivered());
        net.resetStats();
        assertEquals(NetworkStats.ZERO, net.stats());
        assertEquals(NetworkStats.ZERO, net.stats("a"));
        assertEquals(NetworkStats.ZERO, net.stats("never-seen"));
    }

    private long timeToConnect(Node from, Node to) {
        long t0 = sim.nowMillis();
        from.connect(to);
        return sim.nowMillis() - t0;
    }

    private static void assertSameConnection(Connection expected, Connection actual) {
        assertTrue(expected == actual, expected + " vs " + actual);
    }

    private static void assertConnectFailed(CompletableFuture<Connection> f, String messagePart) {
        assertTrue(f.isCompletedExceptionally(), "dial should have failed: " + f);
        CompletionException e = assertThrows(CompletionException.class, f::join);
        MeshException me = assertInstanceOf(MeshException.class, e.getCause());
        assertEquals(ErrorCode.CONNECT_FAILED, me.code());
        assertTrue(me.getMessage().contains(messagePart), me.getMessage());
    }
}
