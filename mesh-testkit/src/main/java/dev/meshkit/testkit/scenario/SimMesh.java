package dev.meshkit.testkit.scenario;

import dev.meshkit.api.GossipSettings;
import dev.meshkit.api.Mesh;
import dev.meshkit.api.MeshBuilder;
import dev.meshkit.api.MeshNode;
import dev.meshkit.api.Message;
import dev.meshkit.api.MessageId;
import dev.meshkit.api.NodeId;
import dev.meshkit.api.PeerInfo;
import dev.meshkit.api.spi.IdentityScheme;
import dev.meshkit.testkit.LatencyModel;
import dev.meshkit.testkit.SimNetwork;
import dev.meshkit.testkit.SimRuntime;
import dev.meshkit.testkit.Simulation;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;

/**
 * A mesh of real nodes on one simulated network, each joined through one seed, with every
 * delivery of the scenario's message type recorded. The {@code i}-th node the mesh starts itself is
 * named {@code n<i>} and listens at {@code sim://n<i>}; keys, seeds and latencies all come from the
 * simulation's seed, so one seed gives one run, event for event.
 *
 * <p>Like the simulation it drives, a mesh is used from one thread.
 */
public final class SimMesh {
    /** The message type the scenario's broadcasts use. */
    public static final String TYPE = "scenario";
    private static final int MAX_HOPS_REPORTED = 63;

    private final Simulation sim;
    private final SimNetwork net;
    private final Builder config;
    private final RandomGenerator seedRandom;
    private final RandomGenerator originRandom;
    private final IdentityScheme scheme;
    private final List<MeshNode> nodes = new ArrayList<>();
    private final List<String> names = new ArrayList<>();
    private final Map<NodeId, Map<MessageId, Arrival>> arrivals = new HashMap<>();
    private long duplicates;

    /** When and over how many links a message first reached a node. */
    private record Arrival(long atMillis, int hops) {
    }

    private SimMesh(Builder b) {
        this.config = b;
        this.sim = new Simulation(b.seed);
        this.net = sim.newNetwork();
        net.setLatency(b.latency);
        this.seedRandom = sim.random("seeds");
        this.originRandom = sim.random("origins");
        this.scheme = ServiceLoader.load(IdentityScheme.class).stream().map(ServiceLoader.Provider::get)
                .filter(s -> s.name().equals(b.scheme)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no identity scheme " + b.scheme));
        for (int i = 0; i < b.nodes; i++) {
            add();
        }
    }

    /** A builder with 100 nodes of 8 peers, tree dissemination, 5–40 ms links and seed 1. */
    public static Builder builder() {
        return new Builder();
    }

    /** Starts one more node, {@code n<i>}, seeded with a random node already in the mesh; returns it. */
    public MeshNode add() {
        int i = nodes.size();
        String seed = i == 0 ? null : names.get(config.joinThroughFirst ? 0 : seedRandom.nextInt(i));
        return add("n" + i, seed, b -> config.customize.accept(i, b));
    }

    /**
     * Starts one more node named {@code name} (a name like an IP address makes its connections come
     * from that address), seeded with the node named {@code seed} if not null, with the mesh's
     * settings and then {@code customize}'s; returns it.
     */
    public MeshNode add(String name, String seed, Consumer<MeshBuilder> customize) {
        SimRuntime runtime = sim.newRuntime(name);
        MeshBuilder b = Mesh.builder()
                .keys(scheme.generate(runtime.secureRandom()))
                .runtime(runtime)
                .transport(net.transport(name))
                .listen(SimNetwork.endpoint(name))
                .maxPeers(config.maxPeers)
                .gossip(GossipSettings.builder().dissemination(config.dissemination).build())
                .keepalive(Duration.ofSeconds(1), Duration.ofSeconds(3))
                .peerExchangeInterval(Duration.ofSeconds(2));
        if (seed != null) {
            b.seed(SimNetwork.endpoint(seed).toString());
        }
        customize.accept(b);
        MeshNode n = b.build();
        Map<MessageId, Arrival> mine = new HashMap<>();
        arrivals.put(n.id(), mine);
        n.on(TYPE, m -> record(mine, m));
        sim.runUntilDone(n.start(), Duration.ofSeconds(5));
        nodes.add(n);
        names.add(name);
        return n;
    }

    private void record(Map<MessageId, Arrival> mine, Message m) {
        if (mine.putIfAbsent(m.id(), new Arrival(sim.nowMillis(), m.hops())) != null) {
            duplicates++;
        }
    }

    /** The simulation the mesh runs in. */
    public Simulation simulation() {
        return sim;
    }

    /** The simulated network. */
    public SimNetwork network() {
        return net;
    }

    /** Every node started, in the order they started. */
    public List<MeshNode> nodes() {
        return List.copyOf(nodes);
    }

    /** Runs the simulation for {@code d} of virtual time. */
    public void run(Duration d) {
        sim.runFor(d);
    }

    /**
     * Sizes of the connected parts of the neighbour graph among {@code among}, largest first; one
     * entry means they are all linked together.
     */
    public static List<Integer> components(Collection<MeshNode> among) {
        Map<NodeId, MeshNode> byId = new HashMap<>();
        among.forEach(n -> byId.put(n.id(), n));
        Set<NodeId> seen = new HashSet<>();
        List<Integer> sizes = new ArrayList<>();
        for (MeshNode start : among) {
            if (!seen.add(start.id())) {
                continue;
            }
            int size = 1;
            ArrayDeque<MeshNode> todo = new ArrayDeque<>(List.of(start));
            while (!todo.isEmpty()) {
                for (PeerInfo p : todo.poll().peers()) {
                    if (byId.containsKey(p.id()) && seen.add(p.id())) {
                        size++;
                        todo.add(byId.get(p.id()));
                    }
                }
            }
            sizes.add(size);
        }
        sizes.sort((a, b) -> Integer.compare(b, a));
        return sizes;
    }

    /** True if the neighbour graph among {@code among} is connected. */
    public static boolean connected(Collection<MeshNode> among) {
        return among.isEmpty() || components(among).size() == 1;
    }

    /**
     * Sends {@code count} broadcasts from random nodes among the first {@code sources} of
     * {@code live}, one every {@code spacing}, waits {@code drain} after the last, and reports how
     * they reached the other nodes of {@code live}.
     */
    public DeliveryReport broadcast(List<MeshNode> live, int sources, int count, Duration spacing, Duration drain) {
        long sendsBefore = payloadSends();
        long duplicatesBefore = duplicates;
        List<MessageId> sent = new ArrayList<>();
        List<NodeId> from = new ArrayList<>();
        List<Long> sentAt = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            MeshNode origin = live.get(originRandom.nextInt(Math.min(sources, live.size())));
            sentAt.add(sim.nowMillis());
            sent.add(origin.broadcast(TYPE, new byte[] {(byte) i, (byte) (i >> 8)}));
            from.add(origin.id());
            sim.runFor(spacing);
        }
        sim.runFor(drain);
        long[] latencies = new long[count * Math.max(0, live.size() - 1)];
        long[] hops = new long[MAX_HOPS_REPORTED + 1];
        long expected = 0;
        int delivered = 0;
        for (int i = 0; i < count; i++) {
            for (MeshNode n : live) {
                if (n.id().equals(from.get(i))) {
                    continue;
                }
                expected++;
                Arrival a = arrivals.get(n.id()).get(sent.get(i));
                if (a != null) {
                    latencies[delivered++] = a.atMillis() - sentAt.get(i);
                    hops[Math.min(MAX_HOPS_REPORTED, a.hops())]++;
                }
            }
        }
        return new DeliveryReport(count, expected, delivered, duplicates - duplicatesBefore,
                payloadSends() - sendsBefore, Arrays.copyOf(latencies, delivered), hops);
    }

    /** Payload frames sent by every node so far. */
    private long payloadSends() {
        long sum = 0;
        for (MeshNode n : nodes) {
            sum += n.stats().forwarded();
        }
        return sum;
    }

    /** How a mesh is made. */
    public static final class Builder {
        private int nodes = 100;
        private int maxPeers = 8;
        private long seed = 1;
        private String scheme = "ed25519";
        private GossipSettings.Dissemination dissemination = GossipSettings.Dissemination.TREE;
        private LatencyModel latency = LatencyModel.uniform(Duration.ofMillis(5), Duration.ofMillis(40));
        private BiConsumer<Integer, MeshBuilder> customize = (i, b) -> { };
        private boolean joinThroughFirst;

        private Builder() {
        }

        /** Nodes started at once, each seeded with a random earlier one. */
        public Builder nodes(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("a mesh needs a node");
            }
            this.nodes = n;
            return this;
        }

        /** Each node's {@code maxPeers}. */
        public Builder maxPeers(int n) {
            this.maxPeers = n;
            return this;
        }

        /** The simulation's seed. */
        public Builder seed(long s) {
            this.seed = s;
            return this;
        }

        /** The identity scheme, by name. */
        public Builder scheme(String name) {
            this.scheme = name;
            return this;
        }

        /** How broadcasts spread. */
        public Builder dissemination(GossipSettings.Dissemination d) {
            this.dissemination = d;
            return this;
        }

        /** One-way link latency. */
        public Builder latency(LatencyModel model) {
            this.latency = model;
            return this;
        }

        /** Every node joins through the first, not through a random earlier one. */
        public Builder joinThroughFirst() {
            this.joinThroughFirst = true;
            return this;
        }

        /** Last say over node {@code i}'s builder, after the mesh's own settings. */
        public Builder customize(BiConsumer<Integer, MeshBuilder> c) {
            this.customize = c;
            return this;
        }

        /** Starts the nodes (in virtual time; nothing has run yet beyond their start). */
        public SimMesh build() {
            return new SimMesh(this);
        }
    }
}
