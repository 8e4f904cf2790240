package dev.meshkit.benchmarks.scenario;

import dev.meshkit.api.ChannelSettings;
import dev.meshkit.api.DefenceSettings;
import dev.meshkit.api.Endpoint;
import dev.meshkit.api.GossipSettings;
import dev.meshkit.api.Mesh;
import dev.meshkit.api.MeshBuilder;
import dev.meshkit.api.MeshEvent;
import dev.meshkit.api.MeshNode;
import dev.meshkit.api.MeshStats;
import dev.meshkit.api.NodeId;
import dev.meshkit.api.PeerInfo;
import dev.meshkit.api.Rate;
import dev.meshkit.core.MemNetwork;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Nodes in this JVM, over ws on 127.0.0.1 (ports picked by the OS) or over one {@link MemNetwork}. Node
 * 0 starts first; the others are seeded with its endpoint (or, for a chain, with the hub's), which is
 * how a real deployment joins.
 */
final class MeshCluster implements AutoCloseable {
    final String transport;
    final String scheme;
    final GossipSettings gossip;
    private final ChannelSettings channel;
    final List<MeshNode> nodes = new ArrayList<>();
    final int[] targetPeers;
    private final MemNetwork mem = new MemNetwork();
    private volatile Probe probe;
    long startedAt;
    /** Links lost while the cluster ran: "node i lost peer (reason detail) at t ms after start". */
    final ConcurrentLinkedQueue<String> linkLosses = new ConcurrentLinkedQueue<>();

    private MeshCluster(String transport, String scheme, GossipSettings gossip, ChannelSettings channel, int n) {
        this.transport = transport;
        this.scheme = scheme;
        this.gossip = gossip;
        this.channel = channel;
        this.targetPeers = new int[n];
    }

    /**
     * {@code n} nodes, each with at most {@code maxPeers} neighbours, all seeded through node 0. Only
     * nodes listed in {@code receivers} subscribe to probe messages; receiver {@code k} is node
     * {@code receivers[k]}. Starts the clock for {@link #awaitFormed} before node 0 starts.
     */
    static MeshCluster star(String transport, String scheme, GossipSettings gossip, ChannelSettings channel, int n,
                            int maxPeers, int[] receivers) {
        MeshCluster c = new MeshCluster(transport, scheme, gossip, channel, n);
        int[] peers = new int[n];
        Arrays.fill(peers, maxPeers);
        c.launch(peers, 0, receivers);
        for (int i = 0; i < n; i++) {
            c.targetPeers[i] = Math.min(n - 1, maxPeers);
        }
        return c;
    }

    /**
     * The relay chain: node 0 = A (publisher, 1 peer), node 1 = B (the relay, 2 peers), node 2 = C
     * (receiver, 1 peer). B starts first; A and C are seeded through B.
     */
    static MeshCluster chain(String transport, String scheme, GossipSettings gossip, ChannelSettings channel) {
        MeshCluster c = new MeshCluster(transport, scheme, gossip, channel, 3);
        c.launch(new int[] {1, 2, 1}, 1, new int[] {2});
        c.targetPeers[0] = 1;
        c.targetPeers[1] = 2;
        c.targetPeers[2] = 1;
        return c;
    }

    private void launch(int[] maxPeers, int hub, int[] receivers) {
        int n = maxPeers.length;
        MeshNode[] built = new MeshNode[n];
        Map<Integer, Integer> receiverIndex = new HashMap<>();
        for (int k = 0; k < receivers.length; k++) {
            receiverIndex.put(receivers[k], k);
        }
        startedAt = System.nanoTime();
        built[hub] = build(hub, maxPeers[hub], null, receiverIndex.get(hub));
        built[hub].start().join();
        Endpoint seed = built[hub].endpoints().get(0);
        List<CompletableFuture<MeshNode>> starts = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (i != hub) {
                built[i] = build(i, maxPeers[i], seed.toString(), receiverIndex.get(i));
                starts.add(built[i].start());
            }
        }
        nodes.addAll(Arrays.asList(built));
        CompletableFuture.allOf(starts.toArray(new CompletableFuture[0])).join();
    }

    private MeshNode build(int i, int maxPeers, String seed, Integer receiver) {
        MeshBuilder b = Mesh.builder()
                .network("meshkit-bench")
                .identityScheme(scheme)
                .gossip(gossip)
                .channel(channel)
                // One origin publishes as fast as the mesh takes it: far past the default per-origin
                // rate, which would otherwise be what the run measures. Every other defence stays on.
                .defences(DefenceSettings.builder().messages(new Rate(1e6, 1 << 20))
                        .frames(new Rate(1e6, 1 << 20)).build())
                .maxPeers(maxPeers);
        if (transport.equals("mem")) {
            b.transport(mem.transport()).listen("mem://node" + i);
        } else {
            b.listen("ws://127.0.0.1:0");
        }
        if (seed != null) {
            b.seed(seed);
        }
        MeshNode node = b.build();
        node.onEvent(e -> {
            if (e instanceof MeshEvent.PeerDisconnected) {
                MeshEvent.PeerDisconnected d = (MeshEvent.PeerDisconnected) e;
                linkLosses.add(String.format(java.util.Locale.ROOT, "node%d lost %s (%s: %s) at %.0f ms", i,
                        d.peer().id().shortForm(), d.reason(), d.detail(), (System.nanoTime() - startedAt) / 1e6));
            }
        });
        if (receiver != null) {
            int r = receiver;
            node.on(Probe.TYPE, m -> {
                long now = System.nanoTime();
                Probe p = probe;
                if (p != null) {
                    p.delivered(r, m.payload(), now);
                }
            });
        }
        return node;
    }

    /** Where receivers report from now on. */
    void probe(Probe p) {
        this.probe = p;
    }

    /**
     * Waits until every node has its target number of neighbours. Returns the nanoseconds from the
     * start of the first node, or -1 on timeout.
     */
    long awaitFormed(long timeoutNanos) {
        long deadline = System.nanoTime() + timeoutNanos;
        while (true) {
            boolean formed = true;
            for (int i = 0; i < nodes.size(); i++) {
                if (nodes.get(i).peers().size() < targetPeers[i]) {
                    formed = false;
                    break;
                }
            }
            long now = System.nanoTime();
            if (formed) {
                return now - startedAt;
            }
            if (now - deadline > 0) {
                return -1;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
        }
    }

    /** Neighbour counts, for messages. */
    int[] degrees() {
        return nodes.stream().mapToInt(n -> n.peers().size()).toArray();
    }

    /** True if every node can reach every other through neighbour links. */
    boolean connected() {
        Map<NodeId, MeshNode> byId = new HashMap<>();
        for (MeshNode n : nodes) {
            byId.put(n.id(), n);
        }
        Set<NodeId> seen = new HashSet<>();
        Deque<MeshNode> todo = new ArrayDeque<>();
        todo.add(nodes.get(0));
        seen.add(nodes.get(0).id());
        while (!todo.isEmpty()) {
            for (PeerInfo p : todo.poll().peers()) {
                MeshNode next = byId.get(p.id());
                if (next != null && seen.add(p.id())) {
                    todo.add(next);
                }
            }
        }
        return seen.size() == nodes.size();
    }

    /** Counters summed over all nodes. */
    MeshStats totals() {
        long[] t = new long[14];
        for (MeshNode n : nodes) {
            MeshStats s = n.stats();
            long[] v = {s.published(), s.delivered(), s.forwarded(), s.duplicates(), s.badFrames(),
                s.badSignatures(), s.dropped(), s.slowConsumers(), s.refusedByPolicy(), s.undeliverable(), s.stale(),
                s.replays(), s.rateLimited(), s.refusedEndpoints()};
            for (int i = 0; i < v.length; i++) {
                t[i] += v[i];
            }
        }
        return new MeshStats(t[0], t[1], t[2], t[3], t[4], t[5], t[6], t[7], t[8], t[9], t[10], t[11], t[12], t[13]);
    }

    @Override
    public void close() {
        List<CompletableFuture<Void>> stops = new ArrayList<>();
        for (MeshNode n : nodes) {
            stops.add(n.stop());
        }
        try {
            CompletableFuture.allOf(stops.toArray(new CompletableFuture[0])).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            System.err.println("warning: nodes did not stop within 10 s: " + e);
        }
    }
}
