package dev.meshkit.benchmarks.scenario;

import dev.meshkit.api.ChannelSettings;
import dev.meshkit.api.GossipSettings;
import dev.meshkit.benchmarks.scheme.UnsignedBenchScheme;
import java.util.Locale;

/** The scenario runner's command line. */
final class ScenarioOptions {
    enum Mode { LATENCY, THROUGHPUT, RELAY }

    String transport = "mem";
    int nodes = 10;
    int messages = 200;
    int size = 1024;
    Mode mode = Mode.LATENCY;
    Integer maxPeers;
    GossipSettings.Dissemination dissemination = GossipSettings.Dissemination.TREE;
    Integer announceMillis;
    String scheme;
    String suite = ChannelSettings.PLAINTEXT;
    Integer warmup;
    Integer warmupSeconds;
    Integer window;
    Integer repeat;
    int verifySamples = 20_000;
    int timeoutSeconds = 60;
    boolean threads = true;
    boolean raw = true;
    boolean help;

    static final String USAGE = String.join("\n",
            "Usage: java -cp benchmarks.jar dev.meshkit.benchmarks.scenario.ScenarioRunner [options]",
            "",
            "Runs N MeshKit nodes in this JVM and measures mesh formation, broadcast latency or throughput.",
            "ws nodes listen on 127.0.0.1 only, on ports the OS picks.",
            "",
            "  --mode latency|throughput|relay  (default latency)",
            "      latency:    publish one message from node 0, wait until all N-1 others delivered it,",
            "                  repeat M times; per-receiver and all-receivers p50/p99",
            "      throughput: publish M messages from node 0 as fast as a bounded in-flight window allows;",
            "                  messages/s fully delivered to all N-1 receivers. With a signing scheme it also",
            "                  measures the single-core verify rate and prints the verify bound",
            "                  (cores x verify rate / (N-1)) and the ratio achieved",
            "      relay:      chain A-B-C (A, C max 1 peer, B max 2), messages/s from A delivered at C; in",
            "                  the same run raw Java-WebSocket one way and through a raw two-hop relay",
            "  --transport ws|mem               (default mem)",
            "  --nodes N                        nodes (default 10; relay always uses 3)",
            "  --messages M                     measured messages per trial (default 200)",
            "  --size S                         payload bytes, at least 8 (default 1024)",
            "  --max-peers K                    neighbours per node (default N-1; relay: 1/2/1)",
            "  --dissemination tree|flood       how broadcasts spread (default tree, the nodes' default)",
            "  --announce-ms N                  tree: announcement batching delay (default: the nodes' default)",
            "  --scheme ed25519|ml-dsa-65|unsigned  identity scheme (default ed25519; relay: unsigned).",
            "                                   'unsigned' is the benchmark-only scheme '"
                    + UnsignedBenchScheme.NAME + "': a measurement",
            "                                   device with empty signatures, never a product feature",
            "  --suite none|NAME                link encryption suite, e.g. x25519-aes256gcm or",
            "                                   x25519-mlkem768-aes256gcm (default none: plaintext links, so",
            "                                   figures isolate what they measure; name a suite to include it)",
            "  --warmup W                       messages sent before measuring (default: latency 500,",
            "                                   throughput/relay max(2000, M))",
            "  --warmup-seconds T               throughput: repeat the warm-up for at least T seconds, then until",
            "                                   the JIT compilers were busy for at most 10 % of a round (at most",
            "                                   300 s in all); 0: one round (default 30)",
            "  --window K                       throughput/relay: messages in flight at most",
            "                                   (default min(256, 2 MiB / (S + 512)), at least 8)",
            "  --repeat R                       throughput/relay trials; the median is reported",
            "                                   (default: latency 1, others 3)",
            "  --verify-samples V               verifies timed before each trial for the verify rate (default 20000)",
            "  --timeout SECONDS                per phase (default 60)",
            "  --no-threads                     do not print CPU time per thread group",
            "  --no-raw                         relay: skip the raw Java-WebSocket runs (e.g. to profile)",
            "  --help                           this text",
            "",
            "Prints a table, then one line starting with 'RESULT ' holding a JSON object.");

    static ScenarioOptions parse(String[] args) {
        ScenarioOptions o = new ScenarioOptions();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String value = null;
            int eq = a.indexOf('=');
            if (a.startsWith("--") && eq > 0) {
                value = a.substring(eq + 1);
                a = a.substring(0, eq);
            }
            switch (a) {
                case "--help":
                case "-h":
                    o.help = true;
                    break;
                case "--no-threads":
                    o.threads = false;
                    break;
                case "--no-raw":
                    o.raw = false;
                    break;
                default:
                    if (value == null) {
                        if (i + 1 >= args.length) {
                            throw new IllegalArgumentException("option " + a + " needs a value");
                        }
                        value = args[++i];
                    }
                    o.set(a, value);
            }
        }
        o.validate();
        return o;
    }

    private void set(String option, String value) {
        switch (option) {
            case "--mode":
                mode = Mode.valueOf(value.toUpperCase(Locale.ROOT));
                break;
            case "--transport":
                transport = value.toLowerCase(Locale.ROOT);
                break;
            case "--nodes":
                nodes = intValue(option, value);
                break;
            case "--messages":
                messages = intValue(option, value);
                break;
            case "--size":
                size = intValue(option, value);
                break;
            case "--max-peers":
                maxPeers = intValue(option, value);
                break;
            case "--dissemination":
                dissemination = GossipSettings.Dissemination.valueOf(value.toUpperCase(Locale.ROOT));
                break;
            case "--announce-ms":
                announceMillis = intValue(option, value);
                break;
            case "--scheme":
                scheme = value.toLowerCase(Locale.ROOT);
                break;
            case "--suite":
                suite = value.toLowerCase(Locale.ROOT);
                break;
            case "--warmup":
                warmup = intValue(option, value);
                break;
            case "--warmup-seconds":
                warmupSeconds = intValue(option, value);
                break;
            case "--window":
                window = intValue(option, value);
                break;
            case "--repeat":
                repeat = intValue(option, value);
                break;
            case "--verify-samples":
                verifySamples = intValue(option, value);
                break;
            case "--timeout":
                timeoutSeconds = intValue(option, value);
                break;
            default:
                throw new IllegalArgumentException("unknown option " + option + " (see --help)");
        }
    }

    private static int intValue(String option, String value) {
        try {
            return Integer.parseInt(value.replace("_", ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " needs a whole number, not '" + value + "'");
        }
    }

    private void validate() {
        if (help) {
            return;
        }
        if (!transport.equals("ws") && !transport.equals("mem")) {
            throw new IllegalArgumentException("--transport must be ws or mem");
        }
        if (mode == Mode.RELAY) {
            nodes = 3;
        }
        if (nodes < 2) {
            throw new IllegalArgumentException("--nodes must be at least 2");
        }
        if (messages < 1) {
            throw new IllegalArgumentException("--messages must be at least 1");
        }
        if (size < Probe.HEADER_BYTES) {
            throw new IllegalArgumentException("--size must be at least " + Probe.HEADER_BYTES
                    + " (the payload carries a message index)");
        }
        if (maxPeers != null && maxPeers < 1) {
            throw new IllegalArgumentException("--max-peers must be at least 1");
        }
        if (scheme == null) {
            scheme = mode == Mode.RELAY ? "unsigned" : "ed25519";
        }
        if (!scheme.equals("ed25519") && !scheme.equals("ml-dsa-65") && !scheme.equals("unsigned")
                && !scheme.equals(UnsignedBenchScheme.NAME)) {
            throw new IllegalArgumentException("--scheme must be ed25519, ml-dsa-65 or unsigned");
        }
        if (window != null && window < 1) {
            throw new IllegalArgumentException("--window must be at least 1");
        }
        if (repeat != null && repeat < 1) {
            throw new IllegalArgumentException("--repeat must be at least 1");
        }
        if (warmupSeconds != null && warmupSeconds < 0) {
            throw new IllegalArgumentException("--warmup-seconds must not be negative");
        }
        if (warmup != null && warmup < 0) {
            throw new IllegalArgumentException("--warmup must not be negative");
        }
        if (verifySamples < 100 || timeoutSeconds < 1) {
            throw new IllegalArgumentException("--verify-samples must be at least 100 and --timeout at least 1");
        }
    }

    /** The broadcast settings to give the builder. */
    GossipSettings gossip() {
        GossipSettings.Builder b = GossipSettings.builder().dissemination(dissemination);
        if (announceMillis != null) {
            b.announceDelay(java.time.Duration.ofMillis(announceMillis));
        }
        return b.build();
    }

    /** The scheme name to give the builder: always named, so a scheme found on the class path never wins by priority. */
    String schemeName() {
        return scheme.equals("unsigned") ? UnsignedBenchScheme.NAME : scheme;
    }

    boolean signed() {
        return !schemeName().equals(UnsignedBenchScheme.NAME);
    }

    /** The link settings to give the builder. */
    ChannelSettings channel() {
        return ChannelSettings.builder().suite(suite).build();
    }

    int maxPeers() {
        return maxPeers != null ? maxPeers : nodes - 1;
    }

    int warmup() {
        if (warmup != null) {
            return warmup;
        }
        return mode == Mode.LATENCY ? 500 : Math.max(2000, messages);
    }

    int warmupSeconds() {
        if (warmupSeconds != null) {
            return warmupSeconds;
        }
        return mode == Mode.THROUGHPUT ? 30 : 0;
    }

    int window() {
        if (window != null) {
            return window;
        }
        return Math.max(8, Math.min(256, (2 << 20) / (size + 512)));
    }

    int repeat() {
        if (repeat != null) {
            return repeat;
        }
        return mode == Mode.LATENCY ? 1 : 3;
    }
}
