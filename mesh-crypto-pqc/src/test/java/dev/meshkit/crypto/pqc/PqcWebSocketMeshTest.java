package dev.meshkit.crypto.pqc;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshkit.api.Mesh;
import dev.meshkit.api.MeshNode;
import dev.meshkit.api.Message;
import dev.meshkit.api.MessageId;
import dev.meshkit.api.NodeId;
import dev.meshkit.api.PeerInfo;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Ten nodes on real WebSockets over loopback, with nothing configured but this module's presence. */
class PqcWebSocketMeshTest {
    private static final int NODES = 10;
    private static final int PER_NODE = 5;
    private final List<MeshNode> mesh = new ArrayList<>();

    @AfterEach
    void stopAll() {
        mesh.forEach(n -> n.stop().join());
    }

    @Test
    void tenNodesLinkedPostQuantumDeliverEveryBroadcastExactlyOnceAndDirectMessagesEndToEnd() throws Exception {
        MeshNode first = Mesh.builder().listen("ws://127.0.0.1:0").maxPeers(4)
                .peerExchangeInterval(Duration.ofMillis(300)).build();
        mesh.add(first);
        first.start().join();
        String seed = first.endpoints().get(0).toString();
        for (int i = 1; i < NODES; i++) {
            MeshNode n = Mesh.builder().listen("ws://127.0.0.1:0").seed(seed).maxPeers(4)
                    .peerExchangeInterval(Duration.ofMillis(300)).build();
            mesh.add(n);
            n.start().join();
        }
        await().atMost(60, TimeUnit.SECONDS).until(() -> mesh.stream().allMatch(n -> n.peers().size() >= 2)
                && connected(mesh));
        Map<NodeId, Map<MessageId, AtomicInteger>> got = new ConcurrentHashMap<>();
        for (MeshNode n : mesh) {
            Map<MessageId, AtomicInteger> mine = new ConcurrentHashMap<>();
            got.put(n.id(), mine);
            n.on("pq", m -> mine.computeIfAbsent(m.id(), k -> new AtomicInteger()).incrementAndGet());
        }
        for (int i = 0; i < PER_NODE; i++) {
            for (MeshNode n : mesh) {
                n.broadcast("pq", new byte[] {(byte) i});
            }
        }
        int others = (NODES - 1) * PER_NODE;
        await().atMost(60, TimeUnit.SECONDS).until(() -> mesh.stream().allMatch(n -> got.get(n.id()).size() == others));
        for (MeshNode n : mesh) {
            assertTrue(got.get(n.id()).values().stream().allMatch(c -> c.get() == 1), "a broadcast came twice");
            assertEquals(0, n.stats().badSignatures() + n.stats().badFrames());
            for (PeerInfo p : n.peers()) {
                assertEquals(HybridChannelProvider.NAME, p.suite(), "link " + n.id().shortForm() + "-" + p.id().shortForm());
            }
        }
        Map<NodeId, List<Message>> direct = new ConcurrentHashMap<>();
        for (MeshNode n : mesh) {
            List<Message> mine = new CopyOnWriteArrayList<>();
            direct.put(n.id(), mine);
            n.on("direct", mine::add);
        }
        int sent = 0;
        for (MeshNode n : mesh) {
            for (PeerInfo p : n.peers()) {
                n.sendTo(p.id(), "direct", n.id().hex().getBytes(StandardCharsets.US_ASCII)).get(30, TimeUnit.SECONDS);
                sent++;
            }
        }
        int expected = sent;
        await().atMost(60, TimeUnit.SECONDS).until(() -> direct.values().stream().mapToInt(List::size).sum() == expected);
        for (List<Message> received : direct.values()) {
            for (Message m : received) {
                assertTrue(m.endToEnd());
                assertEquals(m.origin().hex(), m.payloadAsString());
            }
        }
    }

    /** True if every node reaches every other along current links. */
    private static boolean connected(List<MeshNode> nodes) {
        Map<NodeId, MeshNode> byId = new ConcurrentHashMap<>();
        nodes.forEach(n -> byId.put(n.id(), n));
        java.util.Set<NodeId> seen = new java.util.HashSet<>();
        java.util.ArrayDeque<MeshNode> todo = new java.util.ArrayDeque<>(List.of(nodes.get(0)));
        while (!todo.isEmpty()) {
            MeshNode n = todo.poll();
            if (seen.add(n.id())) {
                n.peers().forEach(p -> {
                    MeshNode next = byId.get(p.id());
                    if (next != null) {
                        todo.add(next);
                    }
                });
            }
        }
        return seen.size() == nodes.size();
    }
}
