package dev.meshkit.testkit.hostile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshkit.api.DefenceSettings;
import dev.meshkit.api.Mesh;
import dev.meshkit.api.MeshBuilder;
import dev.meshkit.api.MeshNode;
import dev.meshkit.api.MessageId;
import dev.meshkit.api.NodeId;
import dev.meshkit.api.PeerInfo;
import dev.meshkit.api.Rate;
import dev.meshkit.api.spi.IdentityScheme;
import dev.meshkit.core.Identities;
import dev.meshkit.testkit.LatencyModel;
import dev.meshkit.testkit.SimNetwork;
import dev.meshkit.testkit.Simulation;
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
import org.junit.jupiter.api.Test;

/**
 * Attacks at a scale real sockets on one machine cannot reach: hundreds of nodes running the real
 * node code on the simulated network, in virtual time. A simulated node named like an IP address
 * connects from that address, so the defences see it as they would on the internet.
 */
class SimulatedAttackTest {
    private static final IdentityScheme ED25519 = Identities.scheme("ed25519");
    private static final String SYBIL_SUBNET = "198.51.100.";
    private static final int MAX_PEERS = 8;

    private final Simulation sim = new Simulation(7);
    private final SimNetwork net = sim.newNetwork();
    private final RandomGenerator keyRandom = sim.random("keys");
    private final RandomGenerator seedRandom = sim.random("seeds");
    private final RandomGenerator originRandom = sim.random("origins");
    private final List<MeshNode> honest = new ArrayList<>();
    /** Per node, how often each message arrived. */
    private final Map<NodeId, Map<MessageId, AtomicInteger>> deliveries = new HashMap<>();
    /** Per node, how many messages arrived from each origin. */
    private final Map<NodeId, Map<NodeId, AtomicInteger>> byOrigin = new HashMap<>();

    private static SecureRandom seeded(long seed) {
        try {
            SecureRandom r = SecureRandom.getInstance("SHA1PRNG");
            r.setSeed(seed);
            return r;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private MeshBuilder builder(String name, String seed) {
        MeshBuilder b = Mesh.builder()
                .keys(ED25519.generate(seeded(keyRandom.nextLong())))
                .runtime(sim.newRuntime(name))
                .transport(net.transport(name))
                .listen(SimNetwork.endpoint(name))
                .maxPeers(MAX_PEERS)
                .keepalive(Duration.ofSeconds(1), Duration.ofSeconds(3))
                .peerExchangeInterval(Duration.ofSeconds(2));
        if (seed != null) {
            b.seed(SimNetwork.endpoint(seed).toString());
        }
        return b;
    }

    private MeshNode start(MeshBuilder b) {
        MeshNode n = b.build();
        Map<MessageId, AtomicInteger> mine = new HashMap<>();
        Map<NodeId, AtomicInteger> origins = new HashMap<>();
        deliveries.put(n.id(), mine);
        byOrigin.put(n.id(), origins);
        n.on("sim", m -> {
            mine.computeIfAbsent(m.id(), k -> new AtomicInteger()).incrementAndGet();
            origins.computeIfAbsent(m.origin(), k -> new AtomicInteger()).incrementAndGet();
        });
        sim.runUntilDone(n.start(), Duration.ofSeconds(5));
        return n;
    }

    /** {@code count} honest nodes, each seeded with a random earlier one, settled into a mesh. */
    private void honestMesh(int count) {
        net.setLatency(LatencyModel.uniform(Duration.ofMillis(5), Duration.ofMillis(40)));
        for (int i = 0; i < count; i++) {
            honest.add(start(builder("h" + i, i == 0 ? null : "h" + seedRandom.nextInt(i))));
        }
        assertTrue(sim.runUntil(() -> connected(honest) && honest.stream().allMatch(n -> n.peers().size() >= 2),
                Duration.ofSeconds(60)), "the honest mesh formed");
    }

    @Test
    void aSybilSwarmFromOneSubnetCannotSurroundHonestNodesOrSplitTheMesh() {
        honestMesh(30);
        // 90 identities on one /24, each joining through a random honest node and keeping as many
        // links as it can get: enough to fill every honest node's slots several times over.
        for (int i = 0; i < 90; i++) {
            String seed = "h" + seedRandom.nextInt(honest.size());
            start(builder(SYBIL_SUBNET + (i + 1), seed).maxPeers(32));
        }
        sim.runFor(Duration.ofSeconds(40));

        int cap = DefenceSettings.defaults().maxPeersPerSubnet();
        int sybilLinks = 0;
        for (MeshNode n : honest) {
            List<PeerInfo> fromSwarm = n.peers().stream().filter(p -> p.remoteAddress().startsWith(SYBIL_SUBNET)).toList();
            long in = fromSwarm.stream().filter(PeerInfo::inbound).count();
            assertTrue(in <= cap, n.id().shortForm() + " has " + in + " inbound peers from the swarm's subnet");
            assertTrue(fromSwarm.size() - in <= cap,
                    n.id().shortForm() + " has " + (fromSwarm.size() - in) + " outbound peers from the swarm's subnet");
            assertTrue(n.peers().size() <= MAX_PEERS);
            sybilLinks += fromSwarm.size();
        }
        // The swarm did get in where the cap allowed: the test is of the cap, not of an idle swarm.
        assertTrue(sybilLinks >= honest.size(), "the swarm holds only " + sybilLinks + " links");
        assertTrue(connected(honest), "the honest nodes stay linked among themselves");
        assertBroadcastsReachEveryHonestNodeOnce(20, Duration.ofSeconds(5));
    }

    @Test
    void aFloodingOriginIsHeldToItsRateAcrossTwoHundredNodes() {
        honestMesh(199);
        // The flooder lets itself publish ten times the rate every other node allows an origin.
        Rate limit = DefenceSettings.defaults().messages();
        MeshNode flooder = start(builder("flooder", "h0")
                .defences(DefenceSettings.builder().messages(Rate.perSecond(1e6)).build()));
        assertTrue(sim.runUntil(() -> flooder.peers().size() >= 2, Duration.ofSeconds(30)), "the flooder joined");

        int seconds = 5;
        int perTick = (int) (limit.perSecond() * 10 / 10); // ten ticks a second
        List<MessageId> honestSent = new ArrayList<>();
        List<NodeId> honestFrom = new ArrayList<>();
        for (int tick = 0; tick < seconds * 10; tick++) {
            for (int i = 0; i < perTick; i++) {
                flooder.broadcast("sim", new byte[] {(byte) i, (byte) tick});
            }
            if (tick % 5 == 0) {
                MeshNode origin = honest.get(originRandom.nextInt(honest.size()));
                honestSent.add(origin.broadcast("sim", new byte[] {(byte) tick}));
                honestFrom.add(origin.id());
            }
            sim.runFor(Duration.ofMillis(100));
        }
        sim.runFor(Duration.ofSeconds(5));

        // However the flood spreads, each node takes no more from one origin than its limit lets through.
        long allowed = 2L * limit.burst() + (long) (limit.perSecond() * (seconds + 5));
        long limited = 0;
        for (MeshNode n : honest) {
            AtomicInteger got = byOrigin.get(n.id()).get(flooder.id());
            long fromFlooder = got == null ? 0 : got.get();
            assertTrue(fromFlooder <= allowed, n.id().shortForm() + " took " + fromFlooder + " of the flood");
            limited += n.stats().rateLimited();
        }
        assertTrue(limited > 0, "nobody limited the flood");
        // The honest messages sent during the flood all arrived, everywhere, once.
        assertDelivered(honestSent, honestFrom);
    }

    private void assertBroadcastsReachEveryHonestNodeOnce(int count, Duration within) {
        List<MessageId> sent = new ArrayList<>();
        List<NodeId> from = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            MeshNode origin = honest.get(originRandom.nextInt(honest.size()));
            sent.add(origin.broadcast("sim", new byte[] {(byte) i}));
            from.add(origin.id());
        }
        sim.runFor(within);
        assertDelivered(sent, from);
    }

    private void assertDelivered(List<MessageId> sent, List<NodeId> from) {
        for (MeshNode n : honest) {
            Map<MessageId, AtomicInteger> got = deliveries.get(n.id());
            for (int i = 0; i < sent.size(); i++) {
                AtomicInteger c = got.get(sent.get(i));
                if (!from.get(i).equals(n.id())) {
                    assertTrue(c != null && c.get() == 1, n.id().shortForm() + " got honest message " + i + " "
                            + (c == null ? 0 : c.get()) + " times");
                }
            }
        }
    }

    /** True if the links among {@code nodes} alone join them all. */
    private static boolean connected(List<MeshNode> nodes) {
        Map<NodeId, MeshNode> byId = new HashMap<>();
        nodes.forEach(n -> byId.put(n.id(), n));
        Set<NodeId> seen = new HashSet<>(List.of(nodes.get(0).id()));
        ArrayDeque<MeshNode> todo = new ArrayDeque<>(List.of(nodes.get(0)));
        while (!todo.isEmpty()) {
            for (PeerInfo p : todo.poll().peers()) {
                if (byId.containsKey(p.id()) && seen.add(p.id())) {
                    todo.add(byId.get(p.id()));
                }
            }
        }
        return seen.size() == nodes.size();
    }
}
