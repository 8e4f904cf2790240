package dev.meshkit.core.node;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshkit.api.Backoff;
import dev.meshkit.api.DisconnectReason;
import dev.meshkit.api.Endpoint;
import dev.meshkit.api.ErrorCode;
import dev.meshkit.api.HandshakeRefusedException;
import dev.meshkit.api.Mesh;
import dev.meshkit.api.MeshBuilder;
import dev.meshkit.api.MeshEvent;
import dev.meshkit.api.MeshException;
import dev.meshkit.api.MeshNode;
import dev.meshkit.api.Message;
import dev.meshkit.api.MessageId;
import dev.meshkit.api.NoRouteException;
import dev.meshkit.api.NodeId;
import dev.meshkit.api.RefusalReason;
import dev.meshkit.core.MemNetwork;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class MemMeshTest {
    private final MemNetwork net = new MemNetwork();
    private final List<MeshNode> nodes = new ArrayList<>();

    private MeshBuilder builder(String name) {
        return Mesh.builder()
                .transport(net.transport())
                .listen("mem://" + name)
                .keepalive(Duration.ofMillis(100), Duration.ofMillis(400))
                .peerExchangeInterval(Duration.ofMillis(200))
                .reconnect(new Backoff(Duration.ofMillis(50), Duration.ofMillis(500), 5))
                .handshakeTimeout(Duration.ofSeconds(2));
    }

    private MeshNode start(MeshBuilder b) {
        MeshNode n = b.build();
        nodes.add(n);
        n.start().join();
        return n;
    }

    @AfterEach
    void stopAll() {
        nodes.forEach(n -> n.stop().join());
    }

    private List<MeshNode> cluster(int size) {
        List<MeshNode> list = new ArrayList<>();
        list.add(start(builder("n0")));
        for (int i = 1; i < size; i++) {
            list.add(start(builder("n" + i).seed("mem://n0")));
        }
        await().atMost(10, TimeUnit.SECONDS).until(() -> list.stream().allMatch(n -> n.peers().size() == size - 1));
        return list;
    }

    @Test
    void eightNodesFromOneSeedFormAFullMesh() {
        List<MeshNode> c = cluster(8);
        for (MeshNode n : c) {
            assertEquals(7, n.peers().stream().map(p -> p.id()).distinct().count());
            assertFalse(n.peers().stream().anyMatch(p -> p.id().equals(n.id())));
        }
    }

    @Test
    void broadcastIsDeliveredExactlyOnceEverywhereButTheOrigin() throws Exception {
        List<MeshNode> c = cluster(8);
        Map<NodeId, Map<MessageId, AtomicInteger>> got = new ConcurrentHashMap<>();
        for (MeshNode n : c) {
            Map<MessageId, AtomicInteger> mine = new ConcurrentHashMap<>();
            got.put(n.id(), mine);
            n.on("chat", m -> mine.computeIfAbsent(m.id(), k -> new AtomicInteger()).incrementAndGet());
        }
        List<MessageId> sent = new ArrayList<>();
        List<NodeId> origins = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            MeshNode origin = c.get(i % c.size());
            sent.add(origin.broadcast("chat", ("m" + i).getBytes(StandardCharsets.UTF_8)));
            origins.add(origin.id());
        }
        await().atMost(10, TimeUnit.SECONDS).until(() ->
                c.stream().allMatch(n -> got.get(n.id()).size() == 35));
        Thread.sleep(300); // let any late duplicate arrive before counting
        for (MeshNode n : c) {
            for (int i = 0; i < sent.size(); i++) {
                AtomicInteger count = got.get(n.id()).get(sent.get(i));
                if (origins.get(i).equals(n.id())) {
                    assertEquals(null, count, "the origin must not deliver its own message");
                } else {
                    assertEquals(1, count.get(), "delivered exactly once");
                }
            }
        }
        assertTrue(c.stream().mapToLong(n -> n.stats().duplicates()).sum() > 0,
                "a full mesh floods copies; they must have been seen and dropped");
    }

    private MeshNode[] chain() {
        // a - b - c, where a and c have room for one neighbour only.
        MeshNode b = start(builder("b").maxPeers(2));
        MeshNode a = start(builder("a").maxPeers(1).seed("mem://b"));
        MeshNode c = start(builder("c").maxPeers(1).seed("mem://b"));
        await().atMost(5, TimeUnit.SECONDS).until(() -> b.peers().size() == 2);
        return new MeshNode[] {a, b, c};
    }

    @Test
    void ttlZeroReachesNeighboursOnlyAndHopsAreCounted() {
        MeshNode[] abc = chain();
        List<Message> atB = new CopyOnWriteArrayList<>();
        List<Message> atC = new CopyOnWriteArrayList<>();
        abc[1].on("t", atB::add);
        abc[2].on("t", atC::add);
        abc[0].broadcast("t", new byte[] {0}, 0);
        abc[0].broadcast("t", new byte[] {1}, 1);
        await().atMost(5, TimeUnit.SECONDS).until(() -> atB.size() == 2 && atC.size() == 1);
        assertEquals(1, atC.get(0).payload()[0], "only the ttl-1 message crossed two links");
        assertEquals(2, atC.get(0).hops());
        assertEquals(1, atB.get(0).hops());
    }

    @Test
    void sendToANeighbourWorksAndToAStrangerFailsWithNoRoute() throws Exception {
        MeshNode[] abc = chain();
        List<Message> atB = new CopyOnWriteArrayList<>();
        abc[1].on("direct", atB::add);
        abc[0].sendTo(abc[1].id(), "direct", "hi".getBytes(StandardCharsets.UTF_8)).get(5, TimeUnit.SECONDS);
        await().atMost(5, TimeUnit.SECONDS).until(() -> atB.size() == 1);
        assertEquals(Message.Delivery.DIRECT, atB.get(0).delivery());
        assertEquals(abc[0].id(), atB.get(0).origin());
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> abc[0].sendTo(abc[2].id(), "direct", new byte[0]).get(5, TimeUnit.SECONDS));
        assertInstanceOf(NoRouteException.class, e.getCause());
    }

    @Test
    void aNodeOfAnotherNetworkIsRefusedWithItsReason() {
        MeshNode home = start(builder("home"));
        List<MeshEvent.HandshakeRefused> refusals = new CopyOnWriteArrayList<>();
        home.onEvent(ev -> {
            if (ev instanceof MeshEvent.HandshakeRefused) {
                refusals.add((MeshEvent.HandshakeRefused) ev);
            }
        });
        MeshNode stranger = start(builder("stranger").network("other-net"));
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> stranger.connect("mem://home").get(5, TimeUnit.SECONDS));
        HandshakeRefusedException refused = assertInstanceOf(HandshakeRefusedException.class, e.getCause());
        assertEquals(RefusalReason.NETWORK_MISMATCH, refused.reason());
        await().atMost(5, TimeUnit.SECONDS).until(() -> !refusals.isEmpty());
        assertEquals(RefusalReason.NETWORK_MISMATCH, refusals.get(0).reason());
        assertFalse(refusals.get(0).byRemote());
        assertTrue(home.peers().isEmpty());
    }

    @Test
    void aNodeNeverDialsItself() {
        MeshNode n = start(builder("me").seed("mem://me").seed("MEM://ME/"));
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> n.connect("mem://me").get(5, TimeUnit.SECONDS));
        assertEquals(RefusalReason.SELF_CONNECTION, ((HandshakeRefusedException) e.getCause()).reason());
        assertTrue(n.peers().isEmpty());
    }

    @Test
    void badSeedsAreSkippedAndTheRestStillUsed() {
        start(builder("good"));
        MeshNode n = start(builder("joiner").seed("::not a url::").seed("nope://x:1").seed("mem://missing")
                .seed("mem://good"));
        await().atMost(5, TimeUnit.SECONDS).until(() -> n.peers().size() == 1);
    }

    @Test
    void simultaneousDialsLeaveExactlyOneLink() throws Exception {
        for (int round = 0; round < 20; round++) {
            MeshNode a = start(builder("sa" + round));
            MeshNode b = start(builder("sb" + round));
            List<MeshEvent> events = new CopyOnWriteArrayList<>();
            a.onEvent(events::add);
            var fa = a.connect("mem://sb" + round);
            var fb = b.connect("mem://sa" + round);
            assertEquals(b.id(), fa.get(5, TimeUnit.SECONDS));
            assertEquals(a.id(), fb.get(5, TimeUnit.SECONDS));
            await().atMost(5, TimeUnit.SECONDS).until(() -> a.peers().size() == 1 && b.peers().size() == 1);
            Thread.sleep(50);
            assertEquals(1, a.peers().size());
            assertEquals(1, events.stream().filter(e -> e instanceof MeshEvent.PeerConnected).count());
            assertEquals(0, events.stream().filter(e -> e instanceof MeshEvent.PeerDisconnected).count());
        }
    }

    @Test
    void aStoppedNodeSaysGoodbyeAndIsNotRedialled() {
        List<MeshNode> c = cluster(3);
        List<MeshEvent.PeerDisconnected> gone = new CopyOnWriteArrayList<>();
        c.get(0).onEvent(ev -> {
            if (ev instanceof MeshEvent.PeerDisconnected) {
                gone.add((MeshEvent.PeerDisconnected) ev);
            }
        });
        c.get(2).stop().join();
        await().atMost(5, TimeUnit.SECONDS).until(() -> gone.size() == 1);
        assertEquals(DisconnectReason.REMOTE_CLOSED, gone.get(0).reason());
        assertTrue(gone.get(0).detail().contains("shutdown"));
        assertEquals(1, c.get(0).peers().size());
        assertFalse(c.get(2).isRunning());
        assertThrows(MeshException.class, () -> c.get(2).broadcast("x", new byte[0]));
    }

    @Test
    void aSilentPeerIsDeclaredDeadAndClosed() throws Exception {
        MeshNode n = start(builder("watcher"));
        List<MeshEvent.PeerDisconnected> gone = new CopyOnWriteArrayList<>();
        n.onEvent(ev -> {
            if (ev instanceof MeshEvent.PeerDisconnected) {
                gone.add((MeshEvent.PeerDisconnected) ev);
            }
        });
        try (RawPeer raw = RawPeer.dial(net.transport(), Endpoint.parse("mem://watcher"))) {
            raw.handshake("meshkit");
            await().atMost(5, TimeUnit.SECONDS).until(() -> n.peers().size() == 1);
            raw.answerPings = false;
            await().atMost(5, TimeUnit.SECONDS).until(() -> gone.size() == 1);
            assertEquals(DisconnectReason.TIMEOUT, gone.get(0).reason());
            assertTrue(raw.closeCode.get(1, TimeUnit.SECONDS) > 0);
        }
    }

    @Test
    void aPeerThatAnswersPingsStaysConnected() throws Exception {
        MeshNode n = start(builder("patient"));
        try (RawPeer raw = RawPeer.dial(net.transport(), Endpoint.parse("mem://patient"))) {
            raw.handshake("meshkit");
            Thread.sleep(1200); // three dead-peer timeouts
            assertEquals(1, n.peers().size());
            assertTrue(raw.isOpen());
        }
    }

    @Test
    void oversizedPayloadIsATypedErrorAtTheSender() {
        MeshNode n = start(builder("big"));
        MeshException e = assertThrows(MeshException.class, () -> n.broadcast("x", new byte[600 * 1024]));
        assertEquals(ErrorCode.MESSAGE_TOO_LARGE, e.code());
        assertThrows(MeshException.class, () -> n.broadcast("bad type!", new byte[1]));
    }

    @Test
    void badFramesFromAnEstablishedPeerAreDroppedAndTheLinkSurvives() throws Exception {
        MeshNode n = start(builder("sturdy"));
        try (RawPeer raw = RawPeer.dial(net.transport(), Endpoint.parse("mem://sturdy"))) {
            raw.handshake("meshkit");
            await().atMost(5, TimeUnit.SECONDS).until(() -> n.peers().size() == 1);
            raw.sendRaw("garbage".getBytes(StandardCharsets.UTF_8));
            raw.sendRaw(("{\"k\":\"ping\",\"n\":" + "[".repeat(50_000) + "}").getBytes(StandardCharsets.UTF_8));
            raw.sendRaw("{\"k\":\"no-such-kind\"}".getBytes(StandardCharsets.UTF_8));
            raw.sendRaw(new byte[0]);
            raw.send(new dev.meshkit.api.wire.Frame.Ping(7));
            assertEquals(7, raw.expect(dev.meshkit.api.wire.Frame.Pong.class).nonce());
            assertTrue(raw.isOpen());
            assertEquals(1, n.peers().size());
            assertEquals(4, n.stats().badFrames());
        }
    }

    @Test
    void aForgedSignatureIsDroppedAndCounted() throws Exception {
        MeshNode n = start(builder("judge"));
        List<Message> got = new CopyOnWriteArrayList<>();
        n.on("x", got::add);
        try (RawPeer raw = RawPeer.dial(net.transport(), Endpoint.parse("mem://judge"))) {
            raw.handshake("meshkit");
            await().atMost(5, TimeUnit.SECONDS).until(() -> n.peers().size() == 1);
            long now = System.currentTimeMillis();
            var good = new dev.meshkit.api.wire.Envelope("x", raw.keys.nodeId(), null, now, 1, 0, 0, new byte[] {1},
                    raw.keys.publicKey(), new byte[0]);
            byte[] sig = raw.signer.sign(dev.meshkit.core.gossip.EnvelopeSigning.signedBytes(good));
            var forged = new dev.meshkit.api.wire.Envelope("x", raw.keys.nodeId(), null, now, 1, 0, 0, new byte[] {2},
                    raw.keys.publicKey(), sig);
            raw.send(new dev.meshkit.api.wire.Frame.Publish(forged, null));
            var signed = new dev.meshkit.api.wire.Envelope("x", raw.keys.nodeId(), null, now, 1, 0, 0, new byte[] {1},
                    raw.keys.publicKey(), sig);
            raw.send(new dev.meshkit.api.wire.Frame.Publish(signed, null));
            await().atMost(5, TimeUnit.SECONDS).until(() -> got.size() == 1);
            assertEquals(1, got.get(0).payload()[0]);
            assertEquals(1, n.stats().badSignatures());
        }
    }

    @Test
    void stoppingEndsEveryThreadOfTheNodes() {
        List<MeshNode> c = cluster(6);
        assertTrue(meshkitThreads() > 0);
        c.forEach(n -> n.stop().join());
        await().atMost(5, TimeUnit.SECONDS).until(() -> meshkitThreads() == 0);
    }

    private static long meshkitThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("meshkit-") && t.isAlive()).count();
    }

    @Test
    void discoveriesAndExtensionsRunWithTheNode() {
        MeshNode target = start(builder("found"));
        List<String> calls = new CopyOnWriteArrayList<>();
        MeshNode n = start(builder("finder")
                .discovery(new dev.meshkit.api.spi.Discovery() {
                    @Override
                    public void start(dev.meshkit.api.spi.DiscoveryContext context) {
                        calls.add("discovery-start");
                        context.offer(new dev.meshkit.api.spi.PeerCandidate(Endpoint.parse("mem://found"), null, "test"));
                    }

                    @Override
                    public void stop() {
                        calls.add("discovery-stop");
                    }
                })
                .extension(new dev.meshkit.api.spi.MeshExtension() {
                    @Override
                    public String name() {
                        return "probe";
                    }

                    @Override
                    public void start(dev.meshkit.api.spi.ExtensionContext context) {
                        calls.add("extension-start:" + context.node().isRunning());
                    }

                    @Override
                    public void stop() {
                        throw new IllegalStateException("a failing plugin must not break stop()");
                    }
                }));
        await().atMost(5, TimeUnit.SECONDS).until(() -> n.peers().size() == 1);
        assertEquals(target.id(), n.peers().get(0).id());
        n.stop().join();
        assertEquals(List.of("discovery-start", "extension-start:true", "discovery-stop"), calls);
    }

    @Test
    void aWallClockJumpDoesNotTripKeepalive() throws Exception {
        dev.meshkit.core.runtime.EventLoopRuntime loop = new dev.meshkit.core.runtime.EventLoopRuntime("jumpy", 1, 100);
        java.util.concurrent.atomic.AtomicLong offset = new java.util.concurrent.atomic.AtomicLong();
        dev.meshkit.api.spi.NodeRuntime jumpy = new dev.meshkit.api.spi.NodeRuntime() {
            public long nowMillis() {
                return loop.nowMillis() + offset.get();
            }

            public long monotonicMillis() {
                return loop.monotonicMillis();
            }

            public void execute(Runnable task) {
                loop.execute(task);
            }

            public dev.meshkit.api.spi.Cancellable schedule(long delayMillis, Runnable task) {
                return loop.schedule(delayMillis, task);
            }

            public boolean inEventLoop() {
                return loop.inEventLoop();
            }

            public java.util.random.RandomGenerator random() {
                return loop.random();
            }

            public java.util.concurrent.Executor workers() {
                return loop.workers();
            }

            public void close() {
                loop.close();
            }
        };
        MeshNode steady = start(builder("steady"));
        MeshNode n = start(builder("jumper").runtime(jumpy).seed("mem://steady"));
        List<MeshEvent.PeerDisconnected> gone = new CopyOnWriteArrayList<>();
        n.onEvent(ev -> {
            if (ev instanceof MeshEvent.PeerDisconnected) {
                gone.add((MeshEvent.PeerDisconnected) ev);
            }
        });
        await().atMost(5, TimeUnit.SECONDS).until(() -> n.peers().size() == 1);
        offset.set(3_600_000); // the wall clock steps an hour ahead
        Thread.sleep(1000);    // more than twice the dead-peer timeout
        assertTrue(gone.isEmpty(), "a clock step is not silence: " + gone);
        assertEquals(1, steady.peers().size());
        n.stop().join();
        loop.close();
    }

    @Test
    void withFewPeerSlotsEveryNodeStillJoinsThroughOneFullSeed() {
        MeshNode first = start(builder("f0").maxPeers(3));
        List<MeshNode> all = new ArrayList<>(List.of(first));
        for (int i = 1; i < 10; i++) {
            all.add(start(builder("f" + i).maxPeers(3).seed("mem://f0")));
        }
        // Joined, connected, and saturated: no two nodes with a free slot are left unlinked; and no
        // node hangs by one link, since a node with one makes room for itself at a full node.
        await().atMost(30, TimeUnit.SECONDS).until(() -> all.stream().allMatch(n -> n.peers().size() >= 2)
                && connected(all) && saturated(all, 3));
        assertTrue(all.stream().allMatch(n -> n.peers().size() <= 3));
    }

    static boolean connected(List<MeshNode> all) {
        java.util.Map<NodeId, MeshNode> byId = new java.util.HashMap<>();
        all.forEach(n -> byId.put(n.id(), n));
        java.util.Set<NodeId> seen = new java.util.HashSet<>(List.of(all.get(0).id()));
        java.util.ArrayDeque<MeshNode> todo = new java.util.ArrayDeque<>(List.of(all.get(0)));
        while (!todo.isEmpty()) {
            for (var p : todo.poll().peers()) {
                if (byId.containsKey(p.id()) && seen.add(p.id())) {
                    todo.add(byId.get(p.id()));
                }
            }
        }
        return seen.size() == all.size();
    }

    static boolean saturated(List<MeshNode> all, int maxPeers) {
        List<MeshNode> withRoom = all.stream().filter(n -> n.peers().size() < maxPeers).toList();
        for (MeshNode a : withRoom) {
            for (MeshNode b : withRoom) {
                if (a != b && a.peers().stream().noneMatch(p -> p.id().equals(b.id()))) {
                    return false;
                }
            }
        }
        return true;
    }
}
