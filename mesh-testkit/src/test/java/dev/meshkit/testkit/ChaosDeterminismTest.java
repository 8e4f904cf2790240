package dev.meshkit.testkit;

import static dev.meshkit.testkit.RecordingHandler.bytes;
import static java.time.Duration.ofMillis;
import static java.time.Duration.ofSeconds;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshkit.api.spi.Connection;
import dev.meshkit.api.spi.Transport;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

/**
 * Runs fake nodes through random dials, traffic, closes, crashes, restarts and partitions, with
 * random latency and loss. Checks that the handler contract holds throughout and that a run is a
 * pure function of its seed.
 */
class ChaosDeterminismTest {

    /** A fake node whose behaviour runs on its own SimRuntime, as real protocol code would. */
    private static final class FakeNode {
        final String name;
        final Simulation sim;
        final SimNetwork net;
        final List<String> trace;
        final List<RecordingHandler> allHandlers;
        final List<String> peers;
        SimRuntime runtime;
        Transport transport;
        RecordingHandler handler;
        int seq;

        FakeNode(String name, Simulation sim, SimNetwork net, List<String> trace, List<RecordingHandler> allHandlers,
                List<String> peers) {
            this.name = name;
            this.sim = sim;
            this.net = net;
            this.trace = trace;
            this.allHandlers = allHandlers;
            this.peers = peers;
        }

        void start() {
            runtime = sim.newRuntime(name);
            transport = net.transport(name);
            handler = new RecordingHandler(name, sim, trace);
            allHandlers.add(handler);
            transport.listen(SimNetwork.endpoint(name), handler);
            SimRuntime rt = runtime;
            rt.schedule(rt.random().nextInt(100), () -> tick(rt));
        }

        private void tick(SimRuntime rt) {
            RandomGenerator rnd = rt.random();
            for (Connection c : List.copyOf(handler.open)) {
                c.send(bytes(name + ":" + seq++));
            }
            double r = rnd.nextDouble();
            if (r < 0.15) {
                String peer = peers.get(rnd.nextInt(peers.size()));
                if (!peer.equals(name)) {
                    transport.dial(SimNetwork.endpoint(peer), handler)
                            .whenComplete((c, e) -> trace.add(rt.nowMillis() + " " + name + " dial " + peer
                                    + (e == null ? " ok" : " failed")));
                }
            } else if (r < 0.18 && !handler.open.isEmpty()) {
                handler.open.get(rnd.nextInt(handler.open.size())).close(1000, "bored");
            }
            rt.schedule(50 + rnd.nextInt(100), () -> tick(rt));
        }
    }

    private record Outcome(List<String> trace, NetworkStats stats, List<String> violations, long framesSeen) {
    }

    private static Outcome chaos(long seed, int nodes, java.time.Duration length) {
        Simulation sim = new Simulation(seed);
        SimNetwork net = sim.newNetwork()
                .setLatency(LatencyModel.uniform(ofMillis(5), ofMillis(150)))
                .setLossProbability(0.02)
                .setPartitionDetectionDelay(ofMillis(700));
        List<String> trace = new ArrayList<>();
        List<RecordingHandler> handlers = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < nodes; i++) {
            names.add("n" + i);
        }
        List<FakeNode> fakes = new ArrayList<>();
        for (String n : names) {
            FakeNode f = new FakeNode(n, sim, net, trace, handlers, names);
            f.start();
            fakes.add(f);
        }
        RandomGenerator chaos = sim.random("chaos");
        Set<String> down = new HashSet<>();
        Runnable[] monkey = new Runnable[1];
        monkey[0] = () -> {
            double r = chaos.nextDouble();
            if (r < 0.15) {
                FakeNode victim = fakes.get(chaos.nextInt(fakes.size()));
                if (down.add(victim.name)) {
                    trace.add(sim.nowMillis() + " chaos crash " + victim.name);
                    if (chaos.nextBoolean()) {
                        net.crash(victim.name);
                    } else {
                        net.crashSilently(victim.name);
                    }
                    sim.schedule(ofMillis(1_000 + chaos.nextInt(2_000)), () -> {
                        down.remove(victim.name);
                        trace.add(sim.nowMillis() + " chaos restart " + victim.name);
                        victim.start();
                    });
                }
            } else if (r < 0.25) {
                Set<String> a = new HashSet<>();
                Set<String> b = new HashSet<>();
                for (String n : names) {
                    (chaos.nextBoolean() ? a : b).add(n);
                }
                trace.add(sim.nowMillis() + " chaos partition " + a.size() + "/" + b.size());
                net.partition(a, b);
                sim.schedule(ofMillis(500 + chaos.nextInt(2_000)), () -> {
                    trace.add(sim.nowMillis() + " chaos heal");
                    net.heal();
                });
            }
            sim.schedule(ofMillis(300), monkey[0]);
        };
        sim.schedule(ofMillis(300), monkey[0]);

        sim.runFor(length);

        List<String> violations = new ArrayList<>();
        long framesSeen = 0;
        for (RecordingHandler h : handlers) {
            violations.addAll(h.violations);
            framesSeen += h.frames().size();
        }
        return new Outcome(trace, net.stats(), violations, framesSeen);
    }

    @Test
    void theHandlerContractHoldsUnderChaos() {
        Outcome o = chaos(1234, 25, ofSeconds(30));
        assertEquals(List.of(), o.violations());
        NetworkStats s = o.stats();
        assertEquals(o.framesSeen(), s.framesDelivered());
        assertTrue(s.framesInFlight() >= 0, s.toString());
        assertTrue(s.framesDelivered() > 10_000, "too little traffic to mean anything: " + s);
        assertTrue(s.framesDropped() > 0, s.toString());
        assertTrue(s.dialsFailed() > 0, s.toString());
        assertTrue(o.trace().stream().anyMatch(l -> l.contains("close 1006")), "no abnormal closes");
    }

    @Test
    void theSameSeedGivesTheSameRunAndAnotherSeedAnotherRun() {
        Outcome first = chaos(42, 12, ofSeconds(10));
        Outcome second = chaos(42, 12, ofSeconds(10));
        Outcome other = chaos(43, 12, ofSeconds(10));
        assertTrue(first.trace().size() > 1_000, "trace too short: " + first.trace().size());
        assertEquals(first.trace(), second.trace());
        assertEquals(first.stats(), second.stats());
        assertNotEquals(first.trace(), other.trace());
    }

    @Test
    void randomLatencyAloneMakesSeedsDiffer() {
        // No chaos, no loss: only the latency samples depend on the seed.
        List<String> t1 = pingPong(1);
        List<String> t1again = pingPong(1);
        List<String> t2 = pingPong(2);
        assertEquals(t1, t1again);
        assertNotEquals(t1, t2);
    }

    private static List<String> pingPong(long seed) {
        Simulation sim = new Simulation(seed);
        SimNetwork net = sim.newNetwork().setLatency(LatencyModel.uniform(ofMillis(1), ofMillis(100)));
        List<String> trace = new ArrayList<>();
        List<RecordingHandler> hs = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            RecordingHandler h = new RecordingHandler("p" + i, sim, trace);
            hs.add(h);
            net.transport("p" + i).listen(SimNetwork.endpoint("p" + i), h);
        }
        Transport t0 = net.transport("p-dialler");
        RecordingHandler dialler = new RecordingHandler("p-dialler", sim, trace);
        List<Connection> conns = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            conns.add(sim.runUntilDone(t0.dial(SimNetwork.endpoint("p" + i), dialler), ofSeconds(5)));
        }
        for (int round = 0; round < 20; round++) {
            for (Connection c : conns) {
                c.send(bytes("round " + round));
            }
            sim.runFor(ofMillis(30));
        }
        sim.runFor(ofSeconds(1));
        return trace;
    }

    @Test
    void aThousandNodesGossipForAMinute() {
        Simulation sim = new Simulation(9);
        SimNetwork net = sim.newNetwork().setLatency(LatencyModel.uniform(ofMillis(10), ofMillis(120)));
        int n = 1_000;
        List<RecordingHandler> hs = new ArrayList<>();
        List<Transport> ts = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            RecordingHandler h = new RecordingHandler("g" + i, sim);
            Transport t = net.transport("g" + i);
            t.listen(SimNetwork.endpoint("g" + i), h);
            hs.add(h);
            ts.add(t);
        }
        for (int i = 0; i < n; i++) {
            SimRuntime rt = sim.newRuntime("g" + i);
            RecordingHandler h = hs.get(i);
            Transport t = ts.get(i);
            rt.execute(() -> {
                for (int k = 0; k < 4; k++) {
                    t.dial(SimNetwork.endpoint("g" + rt.random().nextInt(n)), h);
                }
            });
            Runnable[] gossip = new Runnable[1];
            gossip[0] = () -> {
                for (Connection c : h.open) {
                    c.send(bytes("hello from " + rt.name()));
                }
                rt.schedule(1_000, gossip[0]);
            };
            rt.schedule(500 + rt.random().nextInt(1_000), gossip[0]);
        }
        sim.runFor(ofSeconds(60));
        NetworkStats s = net.stats();
        // About 8 open ends per node, one frame per end per second, for about a minute.
        assertTrue(s.framesDelivered() > 400_000, s.toString());
        assertEquals(0, s.framesDropped());
        for (RecordingHandler h : hs) {
            assertEquals(List.of(), h.violations);
        }
    }
}
