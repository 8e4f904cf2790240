package dev.meshkit.crypto.pqc;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshkit.api.HandshakeRefusedException;
import dev.meshkit.api.Mesh;
import dev.meshkit.api.MeshBuilder;
import dev.meshkit.api.MeshNode;
import dev.meshkit.api.MessageId;
import dev.meshkit.api.NodeId;
import dev.meshkit.api.RefusalReason;
import dev.meshkit.core.Identities;
import dev.meshkit.core.MemNetwork;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Whole nodes once this module is present: their default identity is ML-DSA-65. */
class PqcMeshTest {
    private final MemNetwork net = new MemNetwork();
    private final List<MeshNode> nodes = new ArrayList<>();

    private MeshBuilder builder(String name) {
        return Mesh.builder().transport(net.transport()).listen("mem://" + name)
                .keepalive(Duration.ofMillis(200), Duration.ofMillis(2000))
                .peerExchangeInterval(Duration.ofMillis(200));
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

    @Test
    void thisModuleOutranksTheBuiltInScheme() {
        assertEquals(MlDsa65Scheme.NAME, Identities.scheme(null).name());
        assertEquals("ed25519", Identities.scheme("ed25519").name(), "still there when named");
    }

    @Test
    void fourMlDsaNodesFormAMeshAndDeliverEveryBroadcastOnce() {
        List<MeshNode> mesh = new ArrayList<>();
        mesh.add(start(builder("p0")));
        for (int i = 1; i < 4; i++) {
            mesh.add(start(builder("p" + i).seed("mem://p0")));
        }
        await().atMost(20, TimeUnit.SECONDS).until(() -> mesh.stream().allMatch(n -> n.peers().size() == 3));
        Map<NodeId, Map<MessageId, AtomicInteger>> got = new ConcurrentHashMap<>();
        for (MeshNode n : mesh) {
            Map<MessageId, AtomicInteger> mine = new ConcurrentHashMap<>();
            got.put(n.id(), mine);
            n.on("pq", m -> mine.computeIfAbsent(m.id(), k -> new AtomicInteger()).incrementAndGet());
        }
        for (int i = 0; i < 5; i++) {
            mesh.get(i % 4).broadcast("pq", new byte[] {(byte) i});
        }
        await().atMost(20, TimeUnit.SECONDS).until(() -> mesh.stream()
                .allMatch(n -> got.get(n.id()).values().stream().mapToInt(AtomicInteger::get).sum() >= 3));
        for (MeshNode n : mesh) {
            // Each node got the broadcasts of the others, never its own, each exactly once.
            long others = 5 - (n == mesh.get(0) ? 2 : 1);
            await().atMost(10, TimeUnit.SECONDS).until(() -> got.get(n.id()).size() == others);
            assertTrue(got.get(n.id()).values().stream().allMatch(c -> c.get() == 1), got.get(n.id()).toString());
            assertEquals(0, n.stats().badSignatures());
        }
    }

    @Test
    void anEd25519NodeIsRefusedByAnMlDsaNetwork() {
        MeshNode pq = start(builder("pq"));
        MeshNode classic = start(builder("classic").identityScheme("ed25519"));
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> classic.connect("mem://pq").get(10, TimeUnit.SECONDS));
        HandshakeRefusedException refused = assertInstanceOf(HandshakeRefusedException.class, e.getCause());
        assertEquals(RefusalReason.UNSUPPORTED_SCHEME, refused.reason());
        assertTrue(pq.peers().isEmpty() && classic.peers().isEmpty());
    }
}
