package dev.meshkit.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshkit.api.GossipSettings;
import dev.meshkit.api.Mesh;
import dev.meshkit.api.MeshNode;
import dev.meshkit.api.MessageId;
import dev.meshkit.api.NodeId;
import dev.meshkit.api.PeerInfo;
import dev.meshkit.api.spi.IdentityScheme;
import dev.meshkit.core.Identities;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.random.RandomGenerator;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The real node code on the simulated network, in virtual time. */
class SimulatedMeshTest {
    private static final int NODES = 30;
    private static final IdentityScheme ED25519 = Identities.scheme("ed25519");

    private static SecureRandom seeded(long seed) {
        try {
            SecureRandom r = SecureRandom.getInstance("SHA1PRNG");
            r.setSeed(seed);
            return r;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private final Simulation sim = new Simulation(42);
    private final SimNetwork net = sim.newNetwork();
    // One generator per purpose, so adding a message does not change the topology.
    private final RandomGenerator keyRandom = sim.random("keys");
    private final RandomGenerator seedRandom = sim.random("seeds");
    private final RandomGenerator originRandom = sim.random("origins");
    private final List<MeshNode> nodes = new ArrayList<>();
    private final List<String> names = new ArrayList<>();
    /** Broadcasts come from the first this many live nodes. */
    private int sources = Integer.MAX_VALUE;
    private final Map<NodeId, Map<MessageId, AtomicInteger>> deliveries = new HashMap<>();

    private void build(int maxPeers) {
        build(maxPeers, false);
    }

    private void build(int maxPeers, boolean everyoneSeedsTheFirst) {
        build(maxPeers, everyoneSeedsTheFirst, GossipSettings.defaults());
    }

    private void build(int maxPeers, boolean everyoneSeedsTheFirst, GossipSettings gossip) {
        net.setLatency(LatencyModel.uniform(Duration.ofMillis(5), Duration.ofMillis(40)));
        for (int i = 0; i < NODES; i++) {
            String name = "n" + i;
            // Each node is given exactly one seed: a random earlier node.
            String seed = i == 0 ? null : everyoneSeedsTheFirst ? "n0" : "n" + seedRandom.nextInt(i);
            // Keys from the simulation's seed, so node ids (and every tie-break) repeat run after run.
            var b = Mesh.builder()
                    .keys(ED25519.generate(seeded(keyRandom.nextLong())))
                    .runtime(sim.newRuntime(name))
                    .transport(net.transport(name))
                    .listen(SimNetwork.endpoint(name))
                    .maxPeers(maxPeers)
                    .gossip(gossip)
                    .keepalive(Duration.ofSeconds(1), Duration.ofSeconds(3))
                    .peerExchangeInterval(Duration.ofSeconds(2));
            if (seed != null) {
                b.seed(SimNetwork.endpoint(seed).toString());
            }
            MeshNode n = b.build();
            Map<MessageId, AtomicInteger> mine = new HashMap<>();
            deliveries.put(n.id(), mine);
            n.on("sim", m -> mine.computeIfAbsent(m.id(), k -> new AtomicInteger()).incrementAndGet());
            sim.runUntilDone(n.start(), Duration.ofSeconds(5));
            nodes.add(n);
            names.add(name);
        }
    }

    /** True if the neighbour graph among running nodes is connected. */
    private boolean connected(List<MeshNode> live) {
        Map<NodeId, MeshNode> byId = new HashMap<>();
        live.forEach(n -> byId.put(n.id(), n));
        Set<NodeId> seen = new HashSet<>();
        ArrayDeque<MeshNode> todo = new ArrayDeque<>(List.of(live.get(0)));
        seen.add(live.get(0).id());
        while (!todo.isEmpty()) {
            for (PeerInfo p : todo.poll().peers()) {
                if (byId.containsKey(p.id()) && seen.add(p.id())) {
                    todo.add(byId.get(p.id()));
                }
            }
        }
        return seen.size() == live.size();
    }

    private void assertBroadcastsReachAllExactlyOnce(List<MeshNode> live, int count) {
        assertBroadcastsReachAllExactlyOnce(live, count, Duration.ofSeconds(5));
    }

    private void assertBroadcastsReachAllExactlyOnce(List<MeshNode> live, int count, Duration within) {
        List<MessageId> sent = new ArrayList<>();
        List<NodeId> from = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            MeshNode origin = live.get(originRandom.nextInt(Math.min(sources, live.size())));
            sent.add(origin.broadcast("sim", new byte[] {(byte) i}));
            from.add(origin.id());
        }
        sim.runFor(within);
        for (MeshNode n : live) {
            Map<MessageId, AtomicInteger> got = deliveries.get(n.id());
            for (int i = 0; i < sent.size(); i++) {
                AtomicInteger c = got.get(sent.get(i));
                if (from.get(i).equals(n.id())) {
                    assertEquals(null, c, "origin delivered its own message");
                } else {
                    assertTrue(c != null && c.get() == 1,
                            n.id().shortForm() + " got message " + i + " " + (c == null ? 0 : c.get()) + " times");
                }
            }
        }
    }

    @Test
    void thirtyNodesFromOneSeedEachFormAFullMeshAndSurviveLosingAThird() {
        build(40);
        assertTrue(sim.runUntil(() -> nodes.stream().allMatch(n -> n.peers().size() == NODES - 1),
                Duration.ofSeconds(30)), "full mesh within 30 virtual seconds");
        assertBroadcastsReachAllExactlyOnce(nodes, 10);

        List<MeshNode> live = crashEvery(0);
        assertEquals(20, live.size());
        assertTrue(sim.runUntil(() -> live.stream().allMatch(n -> n.peers().size() == live.size() - 1),
                Duration.ofSeconds(30)), "survivors keep a full mesh");
        assertBroadcastsReachAllExactlyOnce(live, 10);
    }

    /** Payload copies sent (by origins and relays) per delivery, over {@code count} broadcasts. */
    private double payloadCopiesPerDelivery(int count) {
        long sent = totalSent();
        long delivered = nodes.stream().mapToLong(n -> n.stats().delivered()).sum();
        assertBroadcastsReachAllExactlyOnce(nodes, count);
        long deliveries = nodes.stream().mapToLong(n -> n.stats().delivered()).sum() - delivered;
        assertEquals((long) count * (NODES - 1), deliveries);
        return (double) (totalSent() - sent) / deliveries;
    }

    private long totalSent() {
        return nodes.stream().mapToLong(n -> n.stats().forwarded()).sum();
    }

    private void fullMesh(GossipSettings.Dissemination mode) {
        build(40, false, GossipSettings.builder().dissemination(mode).build());
        assertTrue(sim.runUntil(() -> nodes.stream().allMatch(n -> n.peers().size() == NODES - 1),
                Duration.ofSeconds(30)), "full mesh within 30 virtual seconds");
    }

    @Test
    void theTreeSendsAboutOnePayloadCopyPerDeliveryWhereFloodSendsOnePerLink() {
        fullMesh(GossipSettings.Dissemination.TREE);
        sources = 5;
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
                net.crashSilently(names.get(i));
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
        assertTrue(sim.runUntil(() -> connected(nodes) && nodes.stream().allMatch(n -> n.peers().size() >= 3),
                Duration.ofSeconds(30)), "a connected overlay with at least 3 peers each");
        assertTrue(nodes.stream().allMatch(n -> n.peers().size() <= 6), "maxPeers is a bound");
        assertBroadcastsReachAllExactlyOnce(nodes, 10);

        List<MeshNode> live = crashEvery(1);
        assertTrue(sim.runUntil(() -> connected(live) && live.stream().allMatch(n -> n.peers().size() >= 2),
                Duration.ofSeconds(60)), "the survivors' overlay is connected again");
        assertBroadcastsReachAllExactlyOnce(live, 10);
    }

    @Test
    void sameSeedSameRun() {
        build(6);
        sim.runFor(Duration.ofSeconds(20));
        String first = topology();
        long events = sim.eventsRun();
        assertTrue(events > 1000);
        // A second simulation with the same seed makes the same topology decisions.
        SimulatedMeshTest again = new SimulatedMeshTest();
        again.build(6);
        again.sim.runFor(Duration.ofSeconds(20));
        String second = again.topology();
        assertEquals(first, second);
    }

    @Test
    void aLinkCutByAPartitionIsRedialledAfterTheHeal() {
        build(40);
        assertTrue(sim.runUntil(() -> nodes.stream().allMatch(n -> n.peers().size() == NODES - 1),
                Duration.ofSeconds(30)));
        Set<String> left = new HashSet<>(names.subList(0, 10));
        Set<String> right = new HashSet<>(names.subList(10, NODES));
        net.partition(left, right);
        assertTrue(sim.runUntil(() -> nodes.get(0).peers().size() == 9 && nodes.get(10).peers().size() == 19,
                Duration.ofSeconds(10)), "each side sees only itself");
        assertBroadcastsReachAllExactlyOnce(nodes.subList(0, 10), 3);
        net.heal();
        // Backoff: first bound 1 s doubling; within a few attempts every link is back.
        assertTrue(sim.runUntil(() -> nodes.stream().allMatch(n -> n.peers().size() == NODES - 1),
                Duration.ofSeconds(30)), "the mesh merges again after the heal");
        assertBroadcastsReachAllExactlyOnce(nodes, 5);
    }

    @Test
    void newcomersGetInEvenWhenTheSeedAndItsPeersAreFull() {
        // Everyone joins through n0: its first neighbours fill each other up, and only making room
        // for nodes with no link at all lets the rest in.
        build(4, true);
        // Joined, connected, and saturated: no two nodes with a free slot are left unlinked. The last
        // two nodes with room find each other only through peer exchange: about 90 virtual seconds.
        assertTrue(sim.runUntil(() -> nodes.stream().allMatch(n -> !n.peers().isEmpty()) && connected(nodes)
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
                net.crash(names.get(i));
            } else {
                live.add(nodes.get(i));
            }
        }
        return live;
    }
}
