package dev.meshkit.testkit.scenario;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshkit.api.GossipSettings;
import dev.meshkit.api.MeshNode;
import dev.meshkit.testkit.LatencyModel;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class SimMeshTest {

    private static DeliveryReport run(long seed, GossipSettings.Dissemination mode) {
        SimMesh mesh = SimMesh.builder().nodes(40).maxPeers(6).seed(seed).dissemination(mode).build();
        mesh.run(Duration.ofSeconds(20));
        assertTrue(SimMesh.connected(mesh.nodes()), SimMesh.components(mesh.nodes()).toString());
        return mesh.broadcast(mesh.nodes(), 5, 30, Duration.ofMillis(50), Duration.ofSeconds(5));
    }

    @Test
    void aReportCountsEveryDeliveryItsLatencyAndItsHops() {
        DeliveryReport r = run(3, GossipSettings.Dissemination.TREE);
        assertEquals(30L * 39, r.expected());
        assertEquals(r.expected(), r.delivered(), r.toString());
        assertEquals(r.delivered(), Arrays.stream(r.hops()).sum(), "each delivery has a hop count");
        assertEquals(0, r.hops()[0], "nothing arrives over no link");
        // 5 to 40 ms a link: nothing is quicker than one link.
        assertTrue(r.latencyQuantile(0) >= 5, r.toString());
        assertTrue(r.latencyQuantile(0.5) <= r.latencyQuantile(0.99));
        assertTrue(r.latencyQuantile(0.99) <= r.latencyQuantile(1.0));
        assertTrue(r.payloadSendsPerDelivery() >= 1.0, "a delivery costs at least its own send");
    }

    @Test
    void oneSeedGivesOneRun() {
        DeliveryReport a = run(5, GossipSettings.Dissemination.TREE);
        DeliveryReport b = run(5, GossipSettings.Dissemination.TREE);
        assertArrayEquals(a.latencyMillis(), b.latencyMillis());
        assertArrayEquals(a.hops(), b.hops());
        assertEquals(a.payloadSends(), b.payloadSends());
    }

    @Test
    void floodSendsAboutOnePayloadPerLinkWhereTheTreeSendsAboutOnePerDelivery() {
        DeliveryReport flood = run(3, GossipSettings.Dissemination.FLOOD);
        DeliveryReport tree = run(3, GossipSettings.Dissemination.TREE);
        assertEquals(flood.expected(), flood.delivered());
        assertTrue(flood.payloadSendsPerDelivery() > 2 * tree.payloadSendsPerDelivery(),
                "flood " + flood + " / tree " + tree);
    }

    @Test
    void aPerLinkLatencyIsTheLinksOwnTheSameBothWaysWithinItsJitter() {
        dev.meshkit.testkit.PerLinkLatency model = new dev.meshkit.testkit.PerLinkLatency(5, 40, 3, 0);
        java.util.SplittableRandom random = new java.util.SplittableRandom(1);
        java.util.Set<Long> bases = new java.util.HashSet<>();
        for (int i = 0; i < 50; i++) {
            long base = model.baseMillis("n" + i, "n" + (i + 1));
            assertEquals(base, model.baseMillis("n" + (i + 1), "n" + i), "the same both ways");
            assertTrue(base >= 5 && base <= 40, "base " + base);
            long sample = model.sampleMillis("n" + i, "n" + (i + 1), random);
            assertTrue(sample >= base && sample <= base + 3, "sample " + sample + " of base " + base);
            bases.add(base);
        }
        assertTrue(bases.size() > 10, "links differ: " + bases);
    }

    @Test
    void componentsAreFoundAndSortedLargestFirst() {
        SimMesh mesh = SimMesh.builder().nodes(6).maxPeers(5).latency(LatencyModel.fixed(Duration.ofMillis(5))).build();
        mesh.run(Duration.ofSeconds(10));
        List<MeshNode> all = mesh.nodes();
        assertEquals(List.of(6), SimMesh.components(all));
        mesh.network().partition(java.util.Set.of("n0", "n1"), java.util.Set.of("n2", "n3", "n4", "n5"));
        mesh.run(Duration.ofSeconds(5));
        assertEquals(List.of(4, 2), SimMesh.components(all));
    }
}
