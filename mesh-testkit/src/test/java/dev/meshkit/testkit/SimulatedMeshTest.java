package dev.meshkit.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshkit.api.GossipSettings;
import dev.meshkit.api.MeshNode;
import dev.meshkit.testkit.scenario.DeliveryReport;
import dev.meshkit.testkit.scenario.SimMesh;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The real node code on the simulated network, in virtual time. */
class SimulatedMeshTest {
    private static final int NODES = 30;

    private SimMesh mesh;
    private List<MeshNode> nodes;

    private void build(int maxPeers) {
        build(SimMesh.builder().maxPeers(maxPeers));
    }

    private void build(SimMesh.Builder b) {
        mesh = b.nodes(NODES).seed(42).build();
        nodes = mesh.nodes();
    }

    private boolean runUntil(java.util.function.BooleanSupplier condition, Duration within) {
        return mesh.simulation().runUntil(condition, within);
    }

    private void assertBroadcastsReachAllExactlyOnce(List<MeshNode> live, int count) {
        assertBroadcastsReachAllExactlyOnce(live, count, Duration.ofSeconds(5));
    }

    private void assertBroadcastsReachAllExactlyOnce(List<MeshNode> live, int count, Duration within) {
        DeliveryReport r = mesh.broadcast(live, live.size(), count, Duration.ZERO, within);
        assertEquals(r.expected(), r.delivered(), r.toString());
        assertEquals(0, r.duplicates(), r.toString());
    }

    @Test
    void thirtyNodesFromOneSeedEachFormAFullMeshAndSurviveLosingAThird() {
        build(40);
        assertTrue(runUntil(() -> nodes.stream().allMatch(n -> n.peers().size() == NODES - 1),
                Duration.ofSeconds(30)), "full mesh within 30 virtual seconds");
        assertBroadcastsReachAllExactlyOnce(nodes, 10);

        List<MeshNode> live = crashEvery(0);
        assertEquals(20, live.size());
        assertTrue(runUntil(() -> live.stream().allMatch(n -> n.peers().size() == live.size() - 1),
                Duration.ofSeconds(30)), "survivors keep a full mesh");
        assertBroadcastsReachAllExactlyOnce(live, 10);
    }

    /** Payload copies sent (by origins and relays) per delivery, over {@code count} broadcasts from 5 sources. */
    private double payloadCopiesPerDelivery(int count) {
        DeliveryReport r = mesh.broadcast(nodes, 5, count, Duration.ZERO, Duration.ofSeconds(5));
        assertEquals((long) count * (NODES - 1), r.delivered(), r.toString());
        return r.payloadSendsPerDelivery();
    }

    private void fullMesh(GossipSettings.Dissemination mode) {
        build(SimMesh.builder().maxPeers(40).dissemination(mode));
        assertTrue(runUntil(() -> nodes.stream().allMatch(n -> n.peers().size() == NODES - 1),
                Duration.ofSeconds(30)), "full mesh within 30 virtual seconds");
    }

    @Test
    void theTreeSendsAboutOnePayloadCopyPerDeliveryWhereFloodSendsOnePerLink() {
        fullMesh(GossipSettings.Dissemination.TREE);
        double warmUp = payloadCopiesPerDelivery(10); // the first messages prune the redundant links
        double tree = 0;
        for (int burst = 0; burst < 5; burst++) {
            tree += payloadCopiesPerDelivery(40) / 5; // 40 at once from random sources
        }
        // One copy per delivery is a perfect tree; concurrent prunes and re-grafts cost a little more.
        assertTrue(tree <= 1.5, "tree: " + tree + " payload copies per delivery (warm-up " + warmUp + ")");

        SimulatedMeshTest flood = new SimulatedMeshTest();
        flood.fullMesh(GossipSettings.Dissemination.FLOOD);
        double flooded = flood.payloadCopiesPerDelivery(40);
        // Every node but the origin sends each message to its 28 other neighbours; the sends
        // that cross in flight are the only ones saved.
        assertTrue(flooded > 20, "flood: " + flooded + " payload copies per delivery");
    }

    @Test
    void theTreeIsMendedByGraftsBeforeSilentlyCrashedNodesAreEvenNoticed() {
        fullMesh(GossipSettings.Dissemination.TREE);
        payloadCopiesPerDelivery(20);
        List<MeshNode> live = new ArrayList<>();
        for (int i = 0; i < NODES; i++) {
            if (i % 3 == 0) {
                mesh.network().crashSilently("n" + i);
            } else {
                live.add(nodes.get(i));
            }
        }
        // Keepalive declares a peer dead 2-3 s after its last frame; the messages must arrive
        // before, through announcements on lazy links and grafts (timeout 500 ms), although the
        // tree's eager links through the crashed third lead nowhere.
        assertBroadcastsReachAllExactlyOnce(live, 10, Duration.ofMillis(1500));
    }

    @Test
    void aBoundedOverlayStaysConnectedAfterAThirdCrash() {
        build(6);
        assertTrue(runUntil(() -> SimMesh.connected(nodes) && nodes.stream().allMatch(n -> n.peers().size() >= 3),
                Duration.ofSeconds(30)), "a connected overlay with at least 3 peers each");
        assertTrue(nodes.stream().allMatch(n -> n.peers().size() <= 6), "maxPeers is a bound");
        assertBroadcastsReachAllExactlyOnce(nodes, 10);

        List<MeshNode> live = crashEvery(1);
        assertTrue(runUntil(() -> SimMesh.connected(live) && live.stream().allMatch(n -> n.peers().size() >= 2),
                Duration.ofSeconds(60)), "the survivors' overlay is connected again");
        assertBroadcastsReachAllExactlyOnce(live, 10);
    }

    @Test
    void sameSeedSameRun() {
        build(6);
        mesh.run(Duration.ofSeconds(20));
        String first = topology();
        long events = mesh.simulation().eventsRun();
        assertTrue(events > 1000);
        // A second simulation with the same seed makes the same topology decisions.
        SimulatedMeshTest again = new SimulatedMeshTest();
        again.build(6);
        again.mesh.run(Duration.ofSeconds(20));
        String second = again.topology();
        assertEquals(first, second);
    }

    @Test
    void aLinkCutByAPartitionIsRedialledAfterTheHeal() {
        build(40);
        assertTrue(runUntil(() -> nodes.stream().allMatch(n -> n.peers().size() == NODES - 1),
                Duration.ofSeconds(30)));
        Set<String> left = new HashSet<>();
        Set<String> right = new HashSet<>();
        for (int i = 0; i < NODES; i++) {
            (i < 10 ? left : right).add("n" + i);
        }
        mesh.network().partition(left, right);
        assertTrue(runUntil(() -> nodes.get(0).peers().size() == 9 && nodes.get(10).peers().size() == 19,
                Duration.ofSeconds(10)), "each side sees only itself");
        assertBroadcastsReachAllExactlyOnce(nodes.subList(0, 10), 3);
        mesh.network().heal();
        // Backoff: first bound 1 s doubling; within a few attempts every link is back.
        assertTrue(runUntil(() -> nodes.stream().allMatch(n -> n.peers().size() == NODES - 1),
                Duration.ofSeconds(30)), "the mesh merges again after the heal");
        assertBroadcastsReachAllExactlyOnce(nodes, 5);
    }

    @Test
    void newcomersGetInEvenWhenTheSeedAndItsPeersAreFull() {
        // Everyone joins through n0: its first neighbours fill each other up, and only making room
        // for nodes with few links lets the rest in.
        build(SimMesh.builder().maxPeers(4).joinThroughFirst());
        // Joined, connected, and saturated: no two nodes with a free slot are left unlinked. The last
        // two nodes with room find each other only through peer exchange: about 90 virtual seconds.
        assertTrue(runUntil(() -> nodes.stream().allMatch(n -> !n.peers().isEmpty()) && SimMesh.connected(nodes)
                && saturated(nodes, 4), Duration.ofSeconds(180)), "every node joined: " + nodes.stream()
                .map(n -> String.valueOf(n.peers().size())).collect(Collectors.joining(",")));
        assertTrue(nodes.stream().allMatch(n -> n.peers().size() <= 4), "maxPeers is a bound");
        assertBroadcastsReachAllExactlyOnce(nodes, 5);
    }

    private static boolean saturated(List<MeshNode> all, int maxPeers) {
        List<MeshNode> withRoom = all.stream().filter(n -> n.peers().size() < maxPeers).collect(Collectors.toList());
        for (MeshNode a : withRoom) {
            for (MeshNode b : withRoom) {
                if (a != b && a.peers().stream().noneMatch(p -> p.id().equals(b.id()))) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Every node's neighbour ids, in node order. */
    private String topology() {
        return nodes.stream().map(n -> n.id().shortForm() + ":" + n.peers().stream().map(p -> p.id().shortForm())
                .sorted().collect(Collectors.joining(","))).collect(Collectors.joining(" "));
    }

    private List<MeshNode> crashEvery(int third) {
        List<MeshNode> live = new ArrayList<>();
        for (int i = 0; i < NODES; i++) {
            if (i % 3 == third) {
                mesh.network().crash("n" + i);
            } else {
                live.add(nodes.get(i));
            }
        }
        return live;
    }
}
