package dev.meshkit.transport.ws;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshkit.api.DisconnectReason;
import dev.meshkit.api.HandshakeRefusedException;
import dev.meshkit.api.Mesh;
import dev.meshkit.api.MeshBuilder;
import dev.meshkit.api.MeshEvent;
import dev.meshkit.api.MeshNode;
import dev.meshkit.api.MessageId;
import dev.meshkit.api.NodeId;
import dev.meshkit.api.RefusalReason;
import dev.meshkit.api.spi.Connection;
import dev.meshkit.api.spi.ConnectionHandler;
import dev.meshkit.api.spi.Transport;
import dev.meshkit.api.spi.TransportOptions;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Whole nodes over real WebSockets on loopback. */
class WsMeshTest {
    private final List<MeshNode> nodes = new ArrayList<>();

    private static MeshBuilder builder() {
        return Mesh.builder()
                .listen("ws://127.0.0.1:0")
                .keepalive(Duration.ofMillis(300), Duration.ofMillis(1500))
                .peerExchangeInterval(Duration.ofMillis(500));
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

    private List<MeshNode> meshOf(int size) {
        return meshOf(size, null);
    }

    private List<MeshNode> meshOf(int size, String codec) {
        MeshNode seed = start(builder().codec(codec));
        String seedUrl = seed.endpoints().get(0).toString();
        List<MeshNode> all = new ArrayList<>(List.of(seed));
        for (int i = 1; i < size; i++) {
            all.add(start(builder().codec(codec).seed(seedUrl)));
        }
        await().atMost(20, TimeUnit.SECONDS).until(() -> all.stream().allMatch(n -> n.peers().size() == size - 1));
        return all;
    }

    private static Map<NodeId, Map<MessageId, AtomicInteger>> count(List<MeshNode> mesh, String type) {
        Map<NodeId, Map<MessageId, AtomicInteger>> got = new ConcurrentHashMap<>();
        for (MeshNode n : mesh) {
            Map<MessageId, AtomicInteger> mine = new ConcurrentHashMap<>();
            got.put(n.id(), mine);
            n.on(type, m -> mine.computeIfAbsent(m.id(), k -> new AtomicInteger()).incrementAndGet());
        }
        return got;
    }

    @Test
    void eightNodesJoinFromOneSeedAndBroadcastsArriveExactlyOnce() throws Exception {
        List<MeshNode> mesh = meshOf(8);
        Map<NodeId, Map<MessageId, AtomicInteger>> got = count(mesh, "chat");
        int perNode = 5;
        for (MeshNode n : mesh) {
            for (int i = 0; i < perNode; i++) {
                n.broadcast("chat", ("from " + n.id().shortForm() + " #" + i).getBytes(StandardCharsets.UTF_8));
            }
        }
        int expected = perNode * 7;
        await().atMost(20, TimeUnit.SECONDS).until(() -> mesh.stream().allMatch(n -> got.get(n.id()).size() == expected));
        Thread.sleep(300); // late copies would show up as a second delivery
        for (MeshNode n : mesh) {
            got.get(n.id()).forEach((id, c) -> assertEquals(1, c.get(), "message " + id + " at " + n.id().shortForm()));
            assertEquals(expected, n.stats().delivered());
        }
    }

    @Test
    void aFrozenNodeIsDetectedAsDeadAndTheSurvivorsHeal() throws Exception {
        List<MeshNode> mesh = meshOf(6);
        MeshNode victim = mesh.get(3);
        CountDownLatch release = new CountDownLatch(1);
        // The handler blocks the victim's event loop: it stops answering pings, like a hung process.
        victim.on("freeze", m -> {
            try {
                release.await(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        List<MeshEvent.PeerDisconnected> lost = new CopyOnWriteArrayList<>();
        for (MeshNode n : mesh) {
            if (n != victim) {
                n.onEvent(e -> {
                    if (e instanceof MeshEvent.PeerDisconnected) {
                        lost.add((MeshEvent.PeerDisconnected) e);
                    }
                });
            }
        }
        mesh.get(0).sendTo(victim.id(), "freeze", new byte[0]).get(5, TimeUnit.SECONDS);
        List<MeshNode> survivors = new ArrayList<>(mesh);
        survivors.remove(victim);
        await().atMost(15, TimeUnit.SECONDS).until(() -> survivors.stream()
                .allMatch(n -> n.peers().stream().noneMatch(p -> p.id().equals(victim.id()))));
        assertTrue(lost.stream().allMatch(e -> e.peer().id().equals(victim.id())));
        assertTrue(lost.stream().anyMatch(e -> e.reason() == DisconnectReason.TIMEOUT), "detected by keepalive");
        release.countDown();

        // Survivors are still one mesh: each reaches every other, and broadcasts still arrive once.
        assertTrue(survivors.stream().allMatch(n -> n.peers().size() >= survivors.size() - 1));
        Map<NodeId, Map<MessageId, AtomicInteger>> got = count(survivors, "after");
        survivors.get(1).broadcast("after", new byte[] {1});
        await().atMost(10, TimeUnit.SECONDS).until(() -> survivors.stream()
                .filter(n -> n != survivors.get(1)).allMatch(n -> got.get(n.id()).size() == 1));
    }

    @Test
    void aNodeWithAnotherNetworkIdIsRefusedWithItsReason() {
        MeshNode home = start(builder().network("home-net"));
        MeshNode stranger = start(builder().network("other-net"));
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> stranger.connect(home.endpoints().get(0)).get(10, TimeUnit.SECONDS));
        HandshakeRefusedException refused = assertInstanceOf(HandshakeRefusedException.class, e.getCause());
        assertEquals(RefusalReason.NETWORK_MISMATCH, refused.reason());
        assertTrue(home.peers().isEmpty() && stranger.peers().isEmpty());
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"binary", "json"})
    void malformedOversizedAndDeepFramesLeaveTheNodeServingOthers(String codec) throws Exception {
        List<MeshNode> mesh = meshOf(2, codec);
        MeshNode target = mesh.get(0);
        URI uri = target.endpoints().get(0).toUri();
        List<Integer> closes = new CopyOnWriteArrayList<>();
        ConnectionHandler recorder = new ConnectionHandler() {
            @Override
            public void onOpen(Connection connection) {
            }

            @Override
            public void onFrame(Connection connection, byte[] frame) {
            }

            @Override
            public void onClose(Connection connection, int code, String reason, boolean remote) {
                closes.add(code);
            }
        };
        List<byte[]> hostile = List.of(
                "not json at all".getBytes(StandardCharsets.UTF_8),
                new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1, 2},
                ("{\"k\":\"hello\",\"x\":" + "[".repeat(100_000) + "]".repeat(100_000) + "}")
                        .getBytes(StandardCharsets.UTF_8),
                ("{\"k\":\"publish\",\"p\":\"" + "A".repeat(900_000) + "\"}").getBytes(StandardCharsets.UTF_8),
                new byte[2 * 1024 * 1024],
                // Binary-shaped: a publish with a bad presence flag, an auth whose length field
                // claims 2 GiB, and an unknown kind byte.
                new byte[] {9, 7, 0, 0},
                new byte[] {3, 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff, 1, 2},
                new byte[] {99});
        // A bare transport as the hostile client: it sends whatever bytes it is given, with no node
        // behind it to answer the handshake.
        TransportOptions roomy = new TransportOptions(4 << 20, 8L << 20, 5_000);
        try (Transport client = new WsTransportProvider().create(roomy)) {
            for (byte[] frame : hostile) {
                Connection c = client.dial(target.endpoints().get(0), recorder).get(5, TimeUnit.SECONDS);
                c.send(frame);
                c.send(frame);
            }
            await().atMost(10, TimeUnit.SECONDS).until(() -> closes.size() == hostile.size());
        }
        // The 2 MiB frame is refused with 1009, but the listener may drop the TCP connection while
        // this client is still writing it, which the client sees as a loss instead (1006). The
        // close code itself is checked in WsTransportTest; here it is enough that every hostile
        // connection ended and the node serves on.
        assertTrue(closes.contains(1009) || closes.contains(1006), "the oversized frame ended its link: " + closes);

        // The node still serves: its neighbour is still there, a newcomer joins, broadcasts flow.
        assertEquals(1, target.peers().size());
        MeshNode late = start(builder().codec(codec).seed(uri.toString()));
        await().atMost(10, TimeUnit.SECONDS).until(() -> late.peers().size() == 2);
        Map<NodeId, Map<MessageId, AtomicInteger>> got = count(List.of(late), "ok");
        target.broadcast("ok", new byte[] {42});
        await().atMost(10, TimeUnit.SECONDS).until(() -> got.get(late.id()).size() == 1);
        assertTrue(target.stats().badFrames() >= 2, "bad frames were counted: " + target.stats());
    }
}
