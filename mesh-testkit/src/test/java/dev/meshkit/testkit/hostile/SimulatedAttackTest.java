package dev.meshkit.testkit.hostile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshkit.api.DefenceSettings;
import dev.meshkit.api.MeshNode;
import dev.meshkit.api.NodeId;
import dev.meshkit.api.PeerInfo;
import dev.meshkit.api.Rate;
import dev.meshkit.testkit.scenario.DeliveryReport;
import dev.meshkit.testkit.scenario.SimMesh;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

/**
 * Attacks at a scale real sockets on one machine cannot reach: hundreds of nodes running the real
 * node code on the simulated network, in virtual time. A simulated node named like an IP address
 * connects from that address, so the defences see it as they would on the internet.
 */
class SimulatedAttackTest {
    private static final String SYBIL_SUBNET = "198.51.100.";
    private static final int MAX_PEERS = 8;

    /** {@code count} honest nodes, settled into a mesh. */
    private static SimMesh honestMesh(int count) {
        SimMesh mesh = SimMesh.builder().nodes(count).maxPeers(MAX_PEERS).seed(7).build();
        assertTrue(mesh.simulation().runUntil(() -> SimMesh.connected(mesh.nodes())
                && mesh.nodes().stream().allMatch(n -> n.peers().size() >= 2), Duration.ofSeconds(60)),
                "the honest mesh formed");
        return mesh;
    }

    @Test
    void aSybilSwarmFromOneSubnetCannotSurroundHonestNodesOrSplitTheMesh() {
        SimMesh mesh = honestMesh(30);
        List<MeshNode> honest = mesh.nodes();
        // 90 identities on one /24, each joining through a random honest node and keeping as many
        // links as it can get: enough to fill every honest node's slots several times over.
        RandomGenerator seeds = mesh.simulation().random("sybil seeds");
        for (int i = 0; i < 90; i++) {
            mesh.add(SYBIL_SUBNET + (i + 1), "n" + seeds.nextInt(honest.size()), b -> b.maxPeers(32));
        }
        mesh.run(Duration.ofSeconds(40));

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
        assertTrue(SimMesh.connected(honest), "the honest nodes stay linked among themselves");
        DeliveryReport r = mesh.broadcast(honest, honest.size(), 20, Duration.ZERO, Duration.ofSeconds(5));
        assertEquals(r.expected(), r.delivered(), r.toString());
        assertEquals(0, r.duplicates(), r.toString());
    }

    @Test
    void aFloodingOriginIsHeldToItsRateAcrossTwoHundredNodes() {
        SimMesh mesh = honestMesh(199);
        List<MeshNode> honest = mesh.nodes();
        Map<NodeId, AtomicLong> flooded = new HashMap<>();
        honest.forEach(n -> {
            AtomicLong got = new AtomicLong();
            flooded.put(n.id(), got);
            n.on("flood", m -> got.incrementAndGet());
        });
        // The flooder lets itself publish ten times the rate every other node allows an origin.
        Rate limit = DefenceSettings.defaults().messages();
        MeshNode flooder = mesh.add("flooder", "n0",
                b -> b.defences(DefenceSettings.builder().messages(Rate.perSecond(1e6)).build()));
        assertTrue(mesh.simulation().runUntil(() -> flooder.peers().size() >= 2, Duration.ofSeconds(30)),
                "the flooder joined");
        int seconds = 5;
        int perTick = (int) (limit.perSecond() * 10 / 10); // ten times the rate, in ten ticks a second
        for (int tick = 0; tick < seconds * 10; tick++) {
            mesh.simulation().schedule(Duration.ofMillis(100L * tick), () -> {
                for (int i = 0; i < perTick; i++) {
                    flooder.broadcast("flood", new byte[] {(byte) i});
                }
            });
        }
        // Meanwhile honest nodes broadcast too: every one of those must still arrive everywhere, once.
        DeliveryReport r = mesh.broadcast(honest, honest.size(), 10, Duration.ofMillis(500), Duration.ofSeconds(5));
        assertEquals(r.expected(), r.delivered(), r.toString());
        assertEquals(0, r.duplicates(), r.toString());

        // However the flood spreads, each node takes no more from one origin than its limit lets through.
        long allowed = 2L * limit.burst() + (long) (limit.perSecond() * (seconds + 5));
        long limited = 0;
        for (MeshNode n : honest) {
            long got = flooded.get(n.id()).get();
            assertTrue(got <= allowed, n.id().shortForm() + " took " + got + " of the flood");
            limited += n.stats().rateLimited();
        }
        assertTrue(limited > 0, "nobody limited the flood");
    }
}
