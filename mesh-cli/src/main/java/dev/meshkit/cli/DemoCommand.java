package dev.meshkit.cli;

import dev.meshkit.api.Backoff;
import dev.meshkit.api.Mesh;
import dev.meshkit.api.MeshNode;
import dev.meshkit.api.MeshStats;
import dev.meshkit.api.MessageId;
import dev.meshkit.api.NodeId;
import dev.meshkit.api.PeerInfo;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code meshkit demo}: a small mesh on loopback WebSockets in this process, checked end to end. It
 * forms the mesh from one seed per node, broadcasts and counts deliveries, stops a third of the
 * nodes and checks the survivors heal, then broadcasts again. Every wait is bounded; the exit code says
 * whether every check passed.
 */
@Command(name = "demo",
        mixinStandardHelpOptions = true,
        usageHelpAutoWidth = true,
        description = {
            "Run a local mesh of N nodes and check it forms, delivers and heals.",
            "",
            "The nodes run in this process on ws://127.0.0.1. The checks:",
            "  1. each node joins through ONE seed, a random earlier node, and the",
            "     mesh forms by peer exchange;",
            "  2. M broadcasts from different nodes reach every other node exactly",
            "     once;",
            "  3. a third of the nodes stop (#0, the first seed, among them) and the",
            "     survivors link up with each other again;",
            "  4. M broadcasts from survivors reach every other survivor exactly once.",
            "Exits 0 when every check passes, 1 when one fails or times out.",
            ""
        })
final class DemoCommand implements Callable<Integer> {
    /** Message type of the demo's broadcasts. */
    static final String TYPE = "demo";
    private static final Duration KEEPALIVE = Duration.ofSeconds(1);
    private static final Duration DEAD_AFTER = Duration.ofSeconds(3);
    private static final Duration PEER_EXCHANGE = Duration.ofSeconds(1);
    private static final Backoff RECONNECT = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(2), 10);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    private static final long POLL_MILLIS = 100;
    private static final int MAX_NODES = 100;

    @Spec
    CommandSpec spec;

    @ParentCommand
    Meshkit root;

    @Mixin
    LoggingOptions logging;

    @Option(names = "--nodes", paramLabel = "N", defaultValue = "12",
            description = "Nodes to start, 3 to " + MAX_NODES + " (default: ${DEFAULT-VALUE}).")
    int nodeCount;

    @Option(names = "--messages", paramLabel = "M", defaultValue = "20",
            description = "Broadcasts per round (default: ${DEFAULT-VALUE}).")
    int messages;

    @Option(names = "--base-port", paramLabel = "P",
            description = "Listen on ports P, P+1, ...; default: any free ports.")
    Integer basePort;

    @Option(names = "--max-peers", paramLabel = "K", defaultValue = "10",
            description = "Neighbours per node at most, 2 or more (default: ${DEFAULT-VALUE}, as MeshBuilder).")
    int maxPeers;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "30",
            description = "Longest wait of each step (default: ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    @Option(names = "--random-seed", paramLabel = "S",
            description = "Seed of the random choices (which earlier node each node joins through),"
                + " to repeat a run; printed in the summary.")
    Long randomSeed;

    /** One node of the demo and what its handler received. */
    private static final class Member {
        final int index;
        final MeshNode node;
        final int seedIndex;
        final Map<MessageId, AtomicInteger> received = new ConcurrentHashMap<>();

        Member(int index, MeshNode node, int seedIndex) {
            this.index = index;
            this.node = node;
            this.seedIndex = seedIndex;
        }

        NodeId id() {
            return node.id();
        }

        /** Fixed width, for table rows. */
        String label() {
            return String.format(Locale.ROOT, "%-4s%s", "#" + index, node.id().shortForm());
        }

        /** Compact, for lists in a sentence. */
        String name() {
            return "#" + index + " " + node.id().shortForm();
        }
    }

    /** Outcome of one check, for the summary. */
    private static final class Check {
        final String title;
        final boolean passed;

        Check(String title, boolean passed) {
            this.title = title;
            this.passed = passed;
        }
    }

    private PrintWriter out;
    private Duration timeout;

    @Override
    public Integer call() {
        validate();
        out = spec.commandLine().getOut();
        timeout = Duration.ofSeconds(timeoutSeconds);
        long seed = randomSeed != null ? randomSeed : System.nanoTime();
        Random random = new Random(seed);
        long began = System.nanoTime();
        List<Member> members = new ArrayList<>();
        List<Check> checks = new ArrayList<>();
        try {
            out.printf(Locale.ROOT, "MeshKit demo: %d nodes, at most %d peers each, %d broadcasts per round%n",
                    nodeCount, maxPeers, messages);
            out.printf(Locale.ROOT, "timings: keepalive %d s (dead after %d s), peer exchange %d s, reconnect %d ms"
                            + " doubling to %d s; everything else MeshBuilder defaults%n%n",
                    KEEPALIVE.toSeconds(), DEAD_AFTER.toSeconds(), PEER_EXCHANGE.toSeconds(),
                    RECONNECT.initial().toMillis(), RECONNECT.max().toSeconds());
            startNodes(members, random);

            // 1. The mesh forms from one seed per node.
            long t = System.nanoTime();
            boolean formed = awaitTopology("forming", members);
            Topology first = Topology.of(members, maxPeers);
            checks.add(new Check(formed
                    ? String.format(Locale.ROOT, "mesh of %d nodes formed in %s (%d links, %s peers per node)",
                            members.size(), seconds(t), first.links, first.degreeRange())
                    : "mesh did not form within " + timeoutSeconds + " s: " + first.problem(), formed));
            out.println(checks.get(checks.size() - 1).title);
            out.println();
            if (!formed) {
                return finish(checks, seed, began);
            }

            // 2. Broadcasts reach everyone exactly once.
            checks.add(broadcastRound(1, members));

            // 3. A third of the nodes stop; the rest heal.
            List<Member> stopped = chooseVictims(members);
            List<Member> survivors = new ArrayList<>(members);
            survivors.removeAll(stopped);
            out.printf(Locale.ROOT, "stopping %d of %d nodes: %s (#0 is the first seed: every join chain began there)%n",
                    stopped.size(), members.size(),
                    stopped.stream().map(Member::name).collect(Collectors.joining(", ")));
            stopAll(stopped);
            t = System.nanoTime();
            boolean healed = awaitTopology("healing", survivors);
            Topology after = Topology.of(survivors, maxPeers);
            checks.add(new Check(healed
                    ? String.format(Locale.ROOT, "%d nodes stopped; %d survivors healed in %s (%d links, %s peers each)",
                            stopped.size(), survivors.size(), seconds(t), after.links, after.degreeRange())
                    : String.format(Locale.ROOT, "%d survivors did not heal within %d s: %s", survivors.size(),
                            timeoutSeconds, after.problem()), healed));
            out.println(checks.get(checks.size() - 1).title);
            out.println();

            // 4. Broadcasts among survivors still reach each of them exactly once.
            checks.add(broadcastRound(2, survivors));
            return finish(checks, seed, began);
        } finally {
            stopAll(members);
        }
    }

    private void validate() {
        if (nodeCount < 3 || nodeCount > MAX_NODES) {
            throw new ParameterException(spec.commandLine(), "--nodes must be 3 to " + MAX_NODES + ", not " + nodeCount);
        }
        if (messages < 1 || messages > 10_000) {
            throw new ParameterException(spec.commandLine(), "--messages must be 1 to 10000, not " + messages);
        }
        if (maxPeers < 2) {
            // With one neighbour each, nodes pair off and the mesh can never be connected.
            throw new ParameterException(spec.commandLine(), "--max-peers must be at least 2, not " + maxPeers);
        }
        if (timeoutSeconds < 1) {
            throw new ParameterException(spec.commandLine(), "--timeout must be at least 1 second");
        }
        if (basePort != null && (basePort < 1 || basePort + nodeCount - 1 > 65535)) {
            throw new ParameterException(spec.commandLine(), "--base-port must leave room for " + nodeCount
                    + " ports below 65536, not " + basePort);
        }
    }

    // ------------------------------------------------------------------------------------ nodes

    private void startNodes(List<Member> members, Random random) {
        out.printf("starting %d nodes on ws://127.0.0.1:%s; each joins through one random earlier node%n",
                nodeCount, basePort == null ? "<any free port>" : basePort + "..." + (basePort + nodeCount - 1));
        for (int i = 0; i < nodeCount; i++) {
            // A random earlier node rather than always #0: the mesh must form by peer exchange, not
            // because everyone knows one hub.
            int seedIndex = i == 0 ? -1 : random.nextInt(i);
            var b = Mesh.builder()
                    .network("meshkit-demo")
                    .listen("ws://127.0.0.1:" + (basePort == null ? 0 : basePort + i))
                    .maxPeers(maxPeers)
                    .keepalive(KEEPALIVE, DEAD_AFTER)
                    .peerExchangeInterval(PEER_EXCHANGE)
                    .reconnect(RECONNECT);
            if (seedIndex >= 0) {
                b.seed(members.get(seedIndex).node.endpoints().get(0).toString());
            }
            MeshNode node = b.build();
            Member m = new Member(i, node, seedIndex);
            // Registered before start so no delivery can be missed.
            node.on(TYPE, msg -> m.received.computeIfAbsent(msg.id(), k -> new AtomicInteger()).incrementAndGet());
            members.add(m);
            try {
                // Binding a port is quick; the bound is for a machine under heavy load, not a demo step.
                node.start().get(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                Throwable cause = e.getCause() != null ? e.getCause() : e;
                throw new CliException("cannot start node #" + i + ": " + cause.getMessage());
            } catch (TimeoutException e) {
                throw new CliException("node #" + i + " did not start within " + START_TIMEOUT.toSeconds() + " s");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CliException("interrupted");
            }
            out.printf(Locale.ROOT, "  %s  %-22s %s%n", m.label(), node.endpoints().get(0),
                    seedIndex < 0 ? "first node, no seed" : "seed #" + seedIndex);
        }
        out.println();
        out.flush();
    }

    private List<Member> chooseVictims(List<Member> members) {
        // Every third node from #0: spread over the join order, and including the first seed shows the
        // mesh does not depend on it.
        List<Member> victims = new ArrayList<>();
        for (Member m : members) {
            if (m.index % 3 == 0 && victims.size() < members.size() / 3) {
                victims.add(m);
            }
        }
        return victims;
    }

    private void stopAll(List<Member> list) {
        List<CompletableFuture<Void>> stops = new ArrayList<>();
        for (Member m : list) {
            stops.add(m.node.stop());
        }
        try {
            CompletableFuture.allOf(stops.toArray(new CompletableFuture[0])).get(10, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            out.println("warning: not every node stopped cleanly: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ------------------------------------------------------------------------------------ topology

    /**
     * The links among a set of live nodes as their peer lists say.
     *
     * <p>The mesh is <em>formed</em> when the lists agree (a lists b iff b lists a), name no node outside
     * the set, the links connect every node, and no further link is possible: each node has
     * {@code min(n - 1, maxPeers)} peers, or else every node it is not linked to is full. When
     * {@code n - 1 <= maxPeers} that is exactly "everyone is linked to everyone".
     */
    static final class Topology {
        final int links;
        final int strays;
        final boolean symmetric;
        final boolean connected;
        final boolean saturated;
        final int[] degrees;

        private Topology(int links, int strays, boolean symmetric, boolean connected, boolean saturated, int[] degrees) {
            this.links = links;
            this.strays = strays;
            this.symmetric = symmetric;
            this.connected = connected;
            this.saturated = saturated;
            this.degrees = degrees;
        }

        private static Topology of(List<Member> live, int maxPeers) {
            Map<NodeId, Set<NodeId>> adj = new HashMap<>();
            Set<NodeId> ids = new HashSet<>();
            for (Member m : live) {
                ids.add(m.id());
            }
            int strays = 0;
            for (Member m : live) {
                Set<NodeId> peers = new HashSet<>();
                for (PeerInfo p : m.node.peers()) {
                    if (ids.contains(p.id())) {
                        peers.add(p.id());
                    } else {
                        strays++;
                    }
                }
                adj.put(m.id(), peers);
            }
            Set<String> pairs = new HashSet<>();
            boolean symmetric = true;
            for (Map.Entry<NodeId, Set<NodeId>> e : adj.entrySet()) {
                for (NodeId b : e.getValue()) {
                    NodeId a = e.getKey();
                    pairs.add(a.compareTo(b) < 0 ? a.hex() + b.hex() : b.hex() + a.hex());
                    symmetric &= adj.get(b).contains(a);
                }
            }
            int[] degrees = new int[live.size()];
            for (int i = 0; i < live.size(); i++) {
                degrees[i] = adj.get(live.get(i).id()).size();
            }
            boolean connected = live.isEmpty() || reachable(live.get(0).id(), adj) == live.size();
            int target = Math.min(live.size() - 1, maxPeers);
            boolean saturated = true;
            for (Member a : live) {
                Set<NodeId> mine = adj.get(a.id());
                if (mine.size() >= target) {
                    continue;
                }
                for (Member b : live) {
                    if (b != a && !mine.contains(b.id()) && adj.get(b.id()).size() < maxPeers) {
                        saturated = false; // a and b both have room and could still link
                    }
                }
            }
            return new Topology(pairs.size(), strays, symmetric, connected, saturated, degrees);
        }

        private static int reachable(NodeId from, Map<NodeId, Set<NodeId>> adj) {
            // Either side listing a link is enough for reachability while the lists converge.
            Map<NodeId, Set<NodeId>> undirected = new HashMap<>();
            adj.forEach((a, peers) -> {
                for (NodeId b : peers) {
                    undirected.computeIfAbsent(a, k -> new HashSet<>()).add(b);
                    undirected.computeIfAbsent(b, k -> new HashSet<>()).add(a);
                }
            });
            Set<NodeId> seen = new HashSet<>();
            Deque<NodeId> todo = new ArrayDeque<>();
            seen.add(from);
            todo.add(from);
            while (!todo.isEmpty()) {
                for (NodeId next : undirected.getOrDefault(todo.poll(), Set.of())) {
                    if (seen.add(next)) {
                        todo.add(next);
                    }
                }
            }
            return seen.size();
        }

        boolean ready() {
            return strays == 0 && symmetric && connected && saturated;
        }

        String degreeRange() {
            int min = Integer.MAX_VALUE;
            int max = 0;
            for (int d : degrees) {
                min = Math.min(min, d);
                max = Math.max(max, d);
            }
            return min == max ? Integer.toString(min) : min + "-" + max;
        }

        String degreeList() {
            if (degrees.length > 16) {
                return degreeRange();
            }
            StringBuilder sb = new StringBuilder();
            for (int d : degrees) {
                sb.append(sb.length() == 0 ? "" : " ").append(d);
            }
            return sb.toString();
        }

        String problem() {
            List<String> p = new ArrayList<>();
            if (!connected) {
                p.add("not connected");
            }
            if (!saturated) {
                p.add("nodes with room are not linked to each other");
            }
            if (!symmetric) {
                p.add("peer lists disagree");
            }
            if (strays > 0) {
                p.add(strays + " links to stopped nodes remain");
            }
            return String.join(", ", p) + " (peers per node: " + degreeList() + ")";
        }
    }

    /** Waits until the live nodes form a complete mesh, drawing a progress line meanwhile. */
    private boolean awaitTopology(String phase, List<Member> live) {
        Progress progress = new Progress(out, root.terminal());
        long start = System.nanoTime();
        boolean done = poll(() -> {
            Topology t = Topology.of(live, maxPeers);
            progress.update(String.format(Locale.ROOT, "%-8s links %3d, peers per node: %s, %s", phase, t.links,
                    t.degreeList(), t.connected ? "connected" : "not connected yet"), elapsedSeconds(start));
            return t.ready();
        }, timeout);
        progress.finish();
        return done;
    }

    // ------------------------------------------------------------------------------------ broadcast

    private Check broadcastRound(int round, List<Member> live) {
        Map<NodeId, MeshStats> before = new HashMap<>();
        for (Member m : live) {
            before.put(m.id(), m.node.stats());
        }
        List<MessageId> sent = new ArrayList<>();
        Map<MessageId, Member> origin = new HashMap<>();
        Map<Member, Integer> sentBy = new HashMap<>();
        long start = System.nanoTime();
        for (int k = 0; k < messages; k++) {
            // Round-robin over the nodes, so every node (up to M of them) originates something.
            Member from = live.get(k % live.size());
            String text = "round " + round + " message " + (k + 1) + " from " + from.id().shortForm();
            MessageId id = from.node.broadcast(TYPE, text.getBytes(StandardCharsets.UTF_8));
            sent.add(id);
            origin.put(id, from);
            sentBy.merge(from, 1, Integer::sum);
        }
        int senders = sentBy.size();
        out.printf(Locale.ROOT, "round %d: %d broadcasts from %d nodes%n", round, messages, senders);
        boolean arrived = poll(() -> {
            for (Member m : live) {
                for (MessageId id : sent) {
                    if (origin.get(id) != m && !m.received.containsKey(id)) {
                        return false;
                    }
                }
            }
            return true;
        }, timeout);
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        // Extra copies (redundant paths, grafts) can land after the first ones; let them arrive so a duplicate that
        // slipped past dedup would be counted, not missed.
        awaitQuiet(live);

        out.printf(Locale.ROOT, "  %-12s %5s %9s %8s %12s  %s%n", "node", "peers", "delivered", "expected",
                "dups dropped", "each message exactly once (handler count)");
        int good = 0;
        int total = 0;
        long duplicates = 0;
        boolean allOk = true;
        for (Member m : live) {
            MeshStats now = m.node.stats();
            MeshStats then = before.get(m.id());
            long delivered = now.delivered() - then.delivered();
            long dups = now.duplicates() - then.duplicates();
            duplicates += dups;
            int expected = messages - sentBy.getOrDefault(m, 0);
            int missing = 0;
            int repeated = 0;
            int own = 0;
            for (MessageId id : sent) {
                AtomicInteger c = m.received.get(id);
                int count = c == null ? 0 : c.get();
                if (origin.get(id) == m) {
                    own += count;
                    continue;
                }
                total++;
                if (count == 1) {
                    good++;
                } else if (count == 0) {
                    missing++;
                } else {
                    repeated++;
                }
            }
            boolean ok = missing == 0 && repeated == 0 && own == 0 && delivered == expected;
            allOk &= ok;
            String verdict = ok ? "yes" : "NO:" + (missing > 0 ? " " + missing + " missing" : "")
                    + (repeated > 0 ? " " + repeated + " more than once" : "")
                    + (own > 0 ? " own message delivered" : "")
                    + (delivered != expected ? " stats say " + delivered : "");
            out.printf(Locale.ROOT, "  %-12s %5d %9d %8d %12d  %s%n", m.label(), m.node.peers().size(), delivered,
                    expected, dups, verdict);
        }
        boolean passed = arrived && allOk;
        String title = String.format(Locale.ROOT, "round %d: %d of %d deliveries exactly once (%d messages x %d"
                        + " receivers) in %s; %d duplicate copies dropped",
                round, good, total, messages, live.size() - 1, formatSeconds(took), duplicates)
                + (arrived ? "" : "; NOT all arrived within " + timeoutSeconds + " s");
        out.println(title);
        out.println();
        out.flush();
        return new Check(title, passed);
    }

    private void awaitQuiet(List<Member> live) {
        long[] last = {-1};
        int[] stable = {0};
        poll(() -> {
            long sum = 0;
            for (Member m : live) {
                MeshStats s = m.node.stats();
                sum += s.delivered() + s.duplicates() + s.forwarded();
            }
            stable[0] = sum == last[0] ? stable[0] + 1 : 0;
            last[0] = sum;
            return stable[0] >= 3;
        }, Duration.ofSeconds(5));
    }

    // ------------------------------------------------------------------------------------ helpers

    private int finish(List<Check> checks, long seed, long began) {
        long failed = checks.stream().filter(c -> !c.passed).count();
        out.printf(Locale.ROOT, "summary (%s, random seed %d)%n", seconds(began), seed);
        for (Check c : checks) {
            out.println("  " + (c.passed ? "PASS" : "FAIL") + "  " + c.title);
        }
        out.println(failed == 0 ? "result: PASS" : "result: FAILED (" + failed + " of " + checks.size() + " checks)");
        out.flush();
        if (failed > 0) {
            PrintWriter err = spec.commandLine().getErr();
            err.println("meshkit: demo failed: " + checks.stream().filter(c -> !c.passed).findFirst().get().title);
            err.flush();
            return Meshkit.EXIT_FAILURE;
        }
        return 0;
    }

    /** Polls {@code done} until it is true or {@code limit} passes; true if it became true. */
    private static boolean poll(BooleanSupplier done, Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (true) {
            if (done.getAsBoolean()) {
                return true;
            }
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CliException("interrupted");
            }
        }
    }

    private static double elapsedSeconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }

    private static String seconds(long since) {
        return formatSeconds(Duration.ofNanos(System.nanoTime() - since));
    }

    private static String formatSeconds(Duration d) {
        return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }
}
