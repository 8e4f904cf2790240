package dev.meshkit.core.node;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshkit.api.Backoff;
import dev.meshkit.api.Mesh;
import dev.meshkit.api.MeshBuilder;
import dev.meshkit.api.MeshEvent;
import dev.meshkit.api.MeshNode;
import dev.meshkit.api.PeerInfo;
import dev.meshkit.api.spi.TrustDecision;
import dev.meshkit.api.spi.TrustPolicy;
import dev.meshkit.core.MemNetwork;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Peers that accept and then drop every link must run out of attempts, not be redialled forever. */
class RedialTest {
    private static final TrustPolicy REFUSE_ALL = new TrustPolicy() {
        @Override
        public TrustDecision admitPeer(PeerInfo peer) {
            return TrustDecision.refuse("closed club");
        }
    };
    private final MemNetwork net = new MemNetwork();
    private final List<MeshNode> nodes = new ArrayList<>();

    private MeshNode start(MeshBuilder b) {
        MeshNode n = b.build();
        nodes.add(n);
        n.start().join();
        return n;
    }

    private MeshBuilder builder(String name) {
        return Mesh.builder().transport(net.transport()).listen("mem://" + name)
                .reconnect(new Backoff(Duration.ofMillis(10), Duration.ofMillis(50), 3));
    }

    @AfterEach
    void stopAll() {
        nodes.forEach(n -> n.stop().join());
    }

    private static AtomicInteger count(MeshNode n, Class<? extends MeshEvent> type) {
        AtomicInteger c = new AtomicInteger();
        n.onEvent(e -> {
            if (type.isInstance(e)) {
                c.incrementAndGet();
            }
        });
        return c;
    }

    @Test
    void aListenerThatRefusesAfterTheHandshakeIsDialledAtMostMaxAttemptsTimes() throws Exception {
        start(builder("club").trustPolicy(REFUSE_ALL));
        MeshNode hopeful = start(builder("hopeful"));
        AtomicInteger ups = count(hopeful, MeshEvent.PeerConnected.class);
        hopeful.connect("mem://club");
        Thread.sleep(4000); // four maintenance rounds; without a bound it would keep dialling
        assertTrue(ups.get() >= 1 && ups.get() <= 3, "links to a refusing listener: " + ups.get());
    }

    @Test
    void aPeerThisNodeRefusesIsNotRedialledEverySecond() throws Exception {
        start(builder("other"));
        MeshNode picky = start(builder("picky").trustPolicy(REFUSE_ALL));
        AtomicInteger refusals = count(picky, MeshEvent.HandshakeRefused.class);
        picky.connect("mem://other");
        Thread.sleep(4000);
        assertTrue(refusals.get() >= 1 && refusals.get() <= 3, "refusals by this node: " + refusals.get());
    }
}
