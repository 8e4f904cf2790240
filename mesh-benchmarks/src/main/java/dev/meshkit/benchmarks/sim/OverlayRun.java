package dev.meshkit.benchmarks.sim;

import dev.meshkit.api.GossipSettings;
import dev.meshkit.testkit.scenario.DeliveryReport;
import dev.meshkit.testkit.scenario.SimMesh;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;

/**
 * Broadcast over a simulated mesh of real nodes, each dissemination in the same scenario (same
 * seed, so the same joins, keys and latencies): N nodes of {@code maxPeers} joined through random
 * seeds, settled, then M broadcasts from S sources. Prints one table row per dissemination.
 *
 * <pre>java -cp benchmarks.jar dev.meshkit.benchmarks.sim.OverlayRun [--nodes N] [--max-peers K]
 *     [--sources S] [--messages M] [--spacing-ms T] [--settle-s D] [--seed X]</pre>
 */
public final class OverlayRun {
    private OverlayRun() {
    }

    /** Runs the scenario for flood and tree; exit code 0 when every message reached every node. */
    public static void main(String[] args) {
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "error");
        }
        int nodes = 1000;
        int maxPeers = 8;
        int sources = 5;
        int messages = 60;
        int spacingMs = 100;
        int settleS = 30;
        long seed = 1;
        for (int i = 0; i < args.length; i += 2) {
            if (i + 1 >= args.length) {
                usage("missing value for " + args[i]);
            }
            int v;
            try {
                v = Integer.parseInt(args[i + 1]);
            } catch (NumberFormatException e) {
                usage("not a whole number: " + args[i] + " " + args[i + 1]);
                return;
            }
            switch (args[i]) {
                case "--nodes" -> nodes = v;
                case "--max-peers" -> maxPeers = v;
                case "--sources" -> sources = v;
                case "--messages" -> messages = v;
                case "--spacing-ms" -> spacingMs = v;
                case "--settle-s" -> settleS = v;
                case "--seed" -> seed = v;
                default -> usage("unknown option " + args[i]);
            }
        }
        PrintStream out = System.out;
        out.printf("%d nodes, max-peers %d, %d messages from %d sources every %d ms, seed %d%n",
                nodes, maxPeers, messages, sources, spacingMs, seed);
        out.println("| dissemination | parts after settling | delivered | payload sends per delivery"
                + " | latency p50 / p99 ms | mean hops | wall s | heap MB |");
        out.println("|---|---|---:|---:|---:|---:|---:|---:|");
        boolean all = true;
        for (GossipSettings.Dissemination mode : List.of(GossipSettings.Dissemination.FLOOD,
                GossipSettings.Dissemination.TREE)) {
            long start = System.nanoTime();
            SimMesh mesh = SimMesh.builder().nodes(nodes).maxPeers(maxPeers).seed(seed).dissemination(mode).build();
            mesh.run(Duration.ofSeconds(settleS));
            List<Integer> parts = SimMesh.components(mesh.nodes());
            DeliveryReport r = mesh.broadcast(mesh.nodes(), sources, messages, Duration.ofMillis(spacingMs),
                    Duration.ofSeconds(10));
            double wall = (System.nanoTime() - start) / 1e9;
            Runtime rt = Runtime.getRuntime();
            long heapMb = (rt.totalMemory() - rt.freeMemory()) >> 20;
            out.printf("| %s | %s | %.4f | %.2f | %d / %d | %.1f | %.0f | %d |%n", mode.name().toLowerCase(),
                    parts.size() <= 3 ? parts.toString() : parts.subList(0, 3) + " +" + (parts.size() - 3),
                    r.deliveredShare(), r.payloadSendsPerDelivery(), r.latencyQuantile(0.5), r.latencyQuantile(0.99),
                    meanHops(r), wall, heapMb);
            all &= r.delivered() == r.expected();
        }
        System.exit(all ? 0 : 1);
    }

    private static double meanHops(DeliveryReport r) {
        long[] h = r.hops();
        long n = 0;
        long sum = 0;
        for (int i = 0; i < h.length; i++) {
            n += h[i];
            sum += (long) i * h[i];
        }
        return n == 0 ? Double.NaN : (double) sum / n;
    }

    private static void usage(String why) {
        System.err.println(why);
        System.err.println("options: --nodes --max-peers --sources --messages --spacing-ms --settle-s --seed");
        System.exit(2);
    }
}
