package dev.meshkit.core.node;

import static org.awaitility.Awaitility.await;

import dev.meshkit.api.Endpoint;
import dev.meshkit.api.Mesh;
import dev.meshkit.api.MeshBuilder;
import dev.meshkit.api.MeshNode;
import dev.meshkit.core.MemNetwork;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;

/** Base of tests that run whole nodes on one in-memory network, next to hand-driven peers. */
abstract class MemNodeTest {
    final MemNetwork net = new MemNetwork();
    private final List<MeshNode> nodes = new ArrayList<>();

    @AfterEach
    void stopAll() {
        nodes.forEach(n -> n.stop().join());
    }

    /** Builds and starts a node, stopped after the test. */
    MeshNode start(MeshBuilder b) {
        MeshNode n = b.build();
        nodes.add(n);
        n.start().join();
        return n;
    }

    /** A builder for a node listening at {@code mem://name}. */
    MeshBuilder builder(String name) {
        return Mesh.builder().transport(net.transport()).listen("mem://" + name);
    }

    /** A raw peer connected to {@code mem://name}, its handshake not begun. */
    RawPeer dial(String name) throws Exception {
        return RawPeer.dial(net.transport(), Endpoint.parse("mem://" + name));
    }

    /** A raw peer that completed the handshake with {@code node} at {@code mem://target}. */
    RawPeer joined(String target, MeshNode node) throws Exception {
        RawPeer raw = dial(target);
        raw.handshake("meshkit");
        await().atMost(5, TimeUnit.SECONDS).until(() -> node.peers().stream()
                .anyMatch(p -> p.id().equals(raw.keys.nodeId())));
        return raw;
    }
}
