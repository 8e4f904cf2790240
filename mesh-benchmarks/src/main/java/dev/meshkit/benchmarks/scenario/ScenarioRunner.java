package dev.meshkit.benchmarks.scenario;

import dev.meshkit.api.MeshNode;
import dev.meshkit.api.MeshStats;
import java.io.PrintStream;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Scenario benchmarks of whole MeshKit networks in one JVM: mesh formation, broadcast latency and
 * throughput, relay throughput against raw Java-WebSocket, signed throughput against the signature
 * verify bound. See {@code --help} and {@code docs/benchmarks.md}.
 */
public final class ScenarioRunner {
    /** Probe phases from here on are warm-up rounds; measured phases are small numbers. */
    private static final int WARM_UP_PHASE = 1_000;
    private static final int JIT_QUIET_SHARE_PERCENT = 10;
    private static final int WARM_UP_MAX_SECONDS = 300;
    private final ScenarioOptions o;
    private final PrintStream out;
    private final Map<String, Object> result = new LinkedHashMap<>();
    private final List<String[]> table = new ArrayList<>();
    private boolean complete = true;

    /** An expected way for a scenario to fail (no stack trace needed). */
    static final class ScenarioFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ScenarioFailure(String message) {
            super(message);
        }
    }

    private ScenarioRunner(ScenarioOptions o, PrintStream out) {
        this.o = o;
        this.out = out;
    }

    /** Runs one scenario and exits: 0 when every message arrived, 1 when some did not, 2 on bad options. */
    public static void main(String[] args) {
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            // Nodes log every peer at info; that would drown the table.
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        }
        System.exit(run(args, System.out, System.err));
    }

    /** Runs one scenario, printing to {@code out}; returns the exit code {@link #main} would use. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        ScenarioOptions o;
        try {
            o = ScenarioOptions.parse(args);
        } catch (IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            err.println("try --help");
            return 2;
        }
        if (o.help) {
            out.println(ScenarioOptions.USAGE);
            return 0;
        }
        ScenarioRunner r = new ScenarioRunner(o, out);
        try {
            r.execute();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("interrupted");
            return 1;
        } catch (RuntimeException e) {
            err.println("scenario failed: " + e.getMessage());
            if (!(e instanceof ScenarioFailure)) {
                e.printStackTrace(err);
            }
            r.result.put("complete", false);
            r.result.put("error", String.valueOf(e.getMessage()));
            r.printTable();
            out.println("RESULT " + Json.write(r.result));
            return 1;
        }
        return r.complete ? 0 : 1;
    }

    private void execute() throws InterruptedException {
        int cores = Runtime.getRuntime().availableProcessors();
        result.put("mode", o.mode.name().toLowerCase(Locale.ROOT));
        result.put("transport", o.transport);
        result.put("nodes", o.nodes);
        result.put("messages", o.messages);
        result.put("size", o.size);
        result.put("scheme", o.schemeName());
        result.put("suite", o.suite);
        result.put("dissemination", o.gossip().dissemination().name().toLowerCase(Locale.ROOT));
        result.put("announce_ms", o.gossip().announceDelay().toMillis());
        result.put("warmup", o.warmup());
        result.put("cores", cores);
        result.put("java", System.getProperty("java.version"));
        result.put("date", OffsetDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
        out.printf(Locale.ROOT, "MeshKit scenario: %s over %s, %d nodes, %d x %d B, scheme %s%n",
                o.mode.name().toLowerCase(Locale.ROOT), o.transport, o.nodes, o.messages, o.size, o.schemeName());
        out.printf(Locale.ROOT, "JVM %s (%s), %d cores, max heap %d MiB%n", System.getProperty("java.version"),
                System.getProperty("java.vm.name"), cores, Runtime.getRuntime().maxMemory() >> 20);
        switch (o.mode) {
            case LATENCY:
                latency();
                break;
            case THROUGHPUT:
                throughput(cores);
                break;
            case RELAY:
                relay();
                break;
            default:
                throw new IllegalStateException(o.mode.toString());
        }
        result.put("complete", complete);
        printTable();
        out.println("RESULT " + Json.write(result));
    }

    // ------------------------------------------------------------------ latency

    private void latency() {
        int n = o.nodes;
        int[] receivers = range(1, n);
        try (MeshCluster c = MeshCluster.star(o.transport, o.schemeName(), o.gossip(), o.channel(), n, o.maxPeers(), receivers)) {
            formed(c);
            MeshNode publisher = c.nodes.get(0);
            int w = o.warmup();
            Probe p = new Probe(1, w + o.messages, n - 1, o.size, 1);
            c.probe(p);
            long perMessage = TimeUnit.SECONDS.toNanos(Math.min(o.timeoutSeconds, 10));
            Pump.paced(p, 0, w, i -> publisher.broadcast(Probe.TYPE, p.payload(i)), perMessage);
            ThreadCpu cpu = new ThreadCpu();
            cpu.begin();
            int lost = Pump.paced(p, w, w + o.messages, i -> publisher.broadcast(Probe.TYPE, p.payload(i)),
                    perMessage);
            cpu.end();
            long[] each = new long[o.messages * (n - 1)];
            long[] all = new long[o.messages];
            int ne = 0;
            int na = 0;
            for (int i = w; i < w + o.messages; i++) {
                for (int r = 0; r < n - 1; r++) {
                    if (p.deliveredAt[i][r] != 0) {
                        each[ne++] = p.deliveredAt[i][r] - p.publishedAt[i];
                    }
                }
                if (p.isComplete(i)) {
                    all[na++] = p.completedAt[i] - p.publishedAt[i];
                }
            }
            each = Arrays.copyOf(each, ne);
            all = Arrays.copyOf(all, na);
            Arrays.sort(each);
            Arrays.sort(all);
            row("messages fully delivered", na + " of " + o.messages);
            row("per-receiver latency p50 / p99", us(pct(each, 50)) + " / " + us(pct(each, 99)) + " us");
            row("per-receiver latency mean / max", us(mean(each)) + " / " + us(max(each)) + " us");
            row("all-receivers latency p50 / p99", us(pct(all, 50)) + " / " + us(pct(all, 99)) + " us");
            row("all-receivers latency max", us(max(all)) + " us");
            result.put("p50_us", micros(pct(each, 50)));
            result.put("p99_us", micros(pct(each, 99)));
            result.put("mean_us", micros(mean(each)));
            result.put("max_us", micros(max(each)));
            result.put("all_p50_us", micros(pct(all, 50)));
            result.put("all_p99_us", micros(pct(all, 99)));
            result.put("all_max_us", micros(max(all)));
            result.put("lost", lost);
            result.put("duplicate_deliveries", p.duplicates());
            complete &= lost == 0 && p.duplicates() == 0;
            counters(c);
            threads(cpu, Runtime.getRuntime().availableProcessors(), o.messages);
        }
    }

    // ------------------------------------------------------------------ throughput

    /**
     * Sends rounds of {@code --warmup} messages, each fully delivered, for at least
     * {@code --warmup-seconds} and then until the JIT is quiet: until a round in which the
     * compilers worked for at most {@value #JIT_QUIET_SHARE_PERCENT} % of its time, or
     * {@value #WARM_UP_MAX_SECONDS} s in all. On 2 cores under this load the optimising compiler
     * gets little CPU and needs about two minutes; trials measured before that partly measure the
     * compiler. Every round has its own probe, so exactly-once delivery is checked here too.
     */
    private void warmUp(MeshCluster c, MeshNode publisher, long timeout) throws InterruptedException {
        int w = o.warmup();
        long start = System.nanoTime();
        long minimum = TimeUnit.SECONDS.toNanos(o.warmupSeconds());
        long maximum = Math.max(minimum, TimeUnit.SECONDS.toNanos(WARM_UP_MAX_SECONDS));
        int rounds = 0;
        double jitShare;
        long now;
        do {
            Probe warm = new Probe(WARM_UP_PHASE + rounds, w, c.nodes.size() - 1, o.size, o.window());
            c.probe(warm);
            long jit = jitMillis();
            long roundStart = System.nanoTime();
            Pump.Trial t = Pump.windowed(warm, 0, w, i -> publisher.broadcast(Probe.TYPE, warm.payload(i)), timeout);
            now = System.nanoTime();
            jitShare = jit < 0 ? 0 : (jitMillis() - jit) * 1e6 / Math.max(1, now - roundStart);
            complete &= t.delivered() == w && warm.duplicates() == 0;
            rounds++;
        } while (now - start < maximum
                && (now - start < minimum || (o.warmupSeconds() > 0 && jitShare * 100 > JIT_QUIET_SHARE_PERCENT)));
        double seconds = (now - start) / 1e9;
        long sent = (long) rounds * w;
        row("warm-up", String.format(Locale.ROOT, "%,d messages in %.1f s; JIT busy %.0f %% of the last round",
                sent, seconds, jitShare * 100));
        result.put("warmup_messages", sent);
        result.put("warmup_s", seconds);
        result.put("warmup_last_round_jit_share", jitShare);
    }

    private void throughput(int cores) throws InterruptedException {
        int n = o.nodes;
        int[] receivers = range(1, n);
        try (MeshCluster c = MeshCluster.star(o.transport, o.schemeName(), o.gossip(), o.channel(), n, o.maxPeers(), receivers)) {
            formed(c);
            MeshNode publisher = c.nodes.get(0);
            int trials = o.repeat();
            long timeout = TimeUnit.SECONDS.toNanos(o.timeoutSeconds);
            warmUp(c, publisher, timeout);
            Probe p = new Probe(1, trials * o.messages, n - 1, o.size, o.window());
            c.probe(p);
            ThreadCpu cpu = new ThreadCpu();
            double[] rates = new double[trials];
            // The verify rate is measured right before each trial (the nodes idle meanwhile), so a
            // change in the machine's speed during the run moves the bound along with the throughput.
            double[] verifyRates = new double[trials];
            List<Object> perTrial = new ArrayList<>();
            List<Object> jitPerTrial = new ArrayList<>();
            for (int t = 0; t < trials; t++) {
                if (o.signed()) {
                    verifyRates[t] = VerifyRate.measure(o.schemeName(), o.size, o.verifySamples);
                }
                int from = t * o.messages;
                long jitBefore = jitMillis();
                cpu.begin();
                Pump.Trial trial = Pump.windowed(p, from, from + o.messages,
                        i -> publisher.broadcast(Probe.TYPE, p.payload(i)), timeout);
                cpu.end();
                jitPerTrial.add(jitMillis() - jitBefore);
                rates[t] = trial.rate();
                perTrial.add(rates[t]);
                complete &= trial.delivered() == o.messages;
                row("trial " + (t + 1), fmt(rates[t]) + " msg/s (" + trial.delivered() + " of " + o.messages
                        + " delivered to all in " + ms(trial.nanos()) + " ms)");
            }
            double median = median(rates);
            row("throughput (median)", fmt(median) + " msg/s fully delivered to " + (n - 1) + " receivers");
            row("payload goodput", fmt(median * o.size * (n - 1) / 1e6) + " MB/s delivered ("
                    + fmt(median * o.size / 1e6) + " MB/s published)");
            row("window", o.window() + " messages in flight");
            result.put("window", o.window());
            result.put("msgs_per_s", median);
            result.put("trials_msgs_per_s", perTrial);
            result.put("trials_jit_ms", jitPerTrial);
            result.put("duplicate_deliveries", p.duplicates());
            complete &= p.duplicates() == 0;
            if (o.signed()) {
                double verifyRate = median(verifyRates);
                double bound = cores * verifyRate / (n - 1);
                row("single-core verify rate", fmt(verifyRate) + " verifies/s (median of " + trials
                        + ", one before each trial; MeshKit API, " + o.size + " B payload)");
                result.put("trials_verify_per_s", java.util.Arrays.stream(verifyRates).boxed().toList());
                row("verify bound", fmt(bound) + " msg/s = " + cores + " cores x verify rate / " + (n - 1)
                        + " receivers");
                row("ratio to verify bound", pctText(median / bound) + " (goal >= 70%)");
                result.put("verify_per_s", verifyRate);
                result.put("verify_bound_msgs_per_s", bound);
                result.put("ratio_to_bound", median / bound);
            }
            counters(c);
            threads(cpu, cores, (long) trials * o.messages);
        }
    }

    // ------------------------------------------------------------------ relay

    private void relay() throws InterruptedException {
        boolean raw = o.transport.equals("ws") && o.raw;
        int w = o.warmup();
        int trials = o.repeat();
        long timeout = TimeUnit.SECONDS.toNanos(o.timeoutSeconds);
        double[] mesh = new double[trials];
        double[] direct = new double[trials];
        double[] twoHop = new double[trials];
        double[] tpOut = new double[trials];
        double[] tpIn = new double[trials];
        ThreadCpu meshCpu = new ThreadCpu();
        ThreadCpu rawCpu = new ThreadCpu();
        ThreadCpu twoCpu = new ThreadCpu();
        int phase = 100;
        try (MeshCluster c = MeshCluster.chain(o.transport, o.schemeName(), o.gossip(), o.channel())) {
            formed(c);
            MeshNode a = c.nodes.get(0);
            Probe p = new Probe(1, w + trials * o.messages, 1, o.size, o.window());
            c.probe(p);
            complete &= Pump.windowed(p, 0, w, i -> a.broadcast(Probe.TYPE, p.payload(i)), timeout).delivered() == w;
            RawWebSocket one = raw ? RawWebSocket.direct() : null;
            RawWebSocket two = raw ? RawWebSocket.twoHop() : null;
            TransportOnly out = raw ? transportOnly(true) : null;
            TransportOnly in = raw ? transportOnly(false) : null;
            try {
                if (raw) {
                    rawTrial(one, phase++, w, timeout, null);
                    rawTrial(two, phase++, w, timeout, null);
                    transportTrial(out, phase++, w, timeout);
                    transportTrial(in, phase++, w, timeout);
                }
                for (int t = 0; t < trials; t++) {
                    if (raw) {
                        direct[t] = rawTrial(one, phase++, o.messages, timeout, rawCpu);
                        twoHop[t] = rawTrial(two, phase++, o.messages, timeout, twoCpu);
                        tpOut[t] = transportTrial(out, phase++, o.messages, timeout);
                        tpIn[t] = transportTrial(in, phase++, o.messages, timeout);
                    }
                    int from = w + t * o.messages;
                    meshCpu.begin();
                    Pump.Trial trial = Pump.windowed(p, from, from + o.messages,
                            i -> a.broadcast(Probe.TYPE, p.payload(i)), timeout);
                    meshCpu.end();
                    mesh[t] = trial.rate();
                    complete &= trial.delivered() == o.messages;
                    row("trial " + (t + 1), "mesh A-B-C " + fmt(mesh[t]) + (raw ? ", raw ws " + fmt(direct[t])
                            + ", raw two-hop " + fmt(twoHop[t]) + ", transport " + fmt(tpOut[t]) + " / "
                            + fmt(tpIn[t]) : "") + " msg/s");
                }
            } finally {
                if (one != null) {
                    one.close();
                }
                if (two != null) {
                    two.close();
                }
                if (out != null) {
                    out.close();
                }
                if (in != null) {
                    in.close();
                }
            }
            double m = median(mesh);
            row("MeshKit relay A-B-C (median)", fmt(m) + " msg/s (" + fmt(m * o.size / 1e6) + " MB/s)");
            result.put("window", o.window());
            result.put("relay_msgs_per_s", m);
            result.put("trials_relay", toList(mesh));
            if (raw) {
                double d = median(direct);
                double h = median(twoHop);
                row("raw Java-WebSocket one way (median)", fmt(d) + " msg/s (" + fmt(d * o.size / 1e6) + " MB/s)");
                row("raw Java-WebSocket two-hop (median)", fmt(h) + " msg/s");
                row("MeshKit ws transport alone, dialler->listener (median)", fmt(median(tpOut)) + " msg/s");
                row("MeshKit ws transport alone, listener->dialler (median)", fmt(median(tpIn)) + " msg/s");
                row("relay / raw one way", pctText(m / d) + " (goal >= 50%)");
                row("relay / raw two-hop", pctText(m / h));
                result.put("raw_one_way_msgs_per_s", d);
                result.put("raw_two_hop_msgs_per_s", h);
                result.put("ratio_to_raw", m / d);
                result.put("ratio_to_raw_two_hop", m / h);
                result.put("trials_raw_one_way", toList(direct));
                result.put("trials_raw_two_hop", toList(twoHop));
                result.put("transport_dialler_to_listener_msgs_per_s", median(tpOut));
                result.put("transport_listener_to_dialler_msgs_per_s", median(tpIn));
            }
            row("window", o.window() + " messages in flight");
            counters(c);
            threads(meshCpu, Runtime.getRuntime().availableProcessors(), (long) trials * o.messages);
            if (raw && rawCpu.supported() && rawCpu.wallNanos() > 0) {
                double others = rawCpu.othersShare(Runtime.getRuntime().availableProcessors());
                row("raw one-way trials", ms(rawCpu.processNanos()) + " ms CPU in " + ms(rawCpu.wallNanos())
                        + " ms wall; other processes " + pctText(Math.max(0, others)));
                long msgs = (long) trials * o.messages;
                row("raw one-way per message", String.format(Locale.ROOT, "%.1f us CPU, %.1f context switches",
                        rawCpu.processNanos() / 1e3 / msgs, rawCpu.contextSwitchesCounted() / (double) msgs));
                row("raw two-hop per message", String.format(Locale.ROOT, "%.1f us CPU, %.1f context switches",
                        twoCpu.processNanos() / 1e3 / msgs, twoCpu.contextSwitchesCounted() / (double) msgs));
                result.put("raw_two_hop_cpu_us_per_msg", twoCpu.processNanos() / 1e3 / msgs);
                result.put("raw_two_hop_context_switches_per_msg", twoCpu.contextSwitchesCounted() / (double) msgs);
                result.put("raw_cpu_us_per_msg", rawCpu.processNanos() / 1e3 / msgs);
                result.put("raw_context_switches_per_msg", rawCpu.contextSwitchesCounted() / (double) msgs);
                if (o.threads) {
                    rawCpu.byGroupMillis().entrySet().stream().filter(e -> e.getValue() > 0).limit(6)
                            .forEach(e -> row("  raw threads " + e.getKey(), e.getValue() + " ms CPU"));
                }
            }
        }
    }

    private TransportOnly transportOnly(boolean fromDialler) {
        try {
            return TransportOnly.open(o.transport, fromDialler);
        } catch (Exception e) {
            throw new IllegalStateException("cannot open a bare " + o.transport + " link: " + e, e);
        }
    }

    private double transportTrial(TransportOnly link, int phase, int count, long timeout)
            throws InterruptedException {
        Probe p = new Probe(phase, count, 1, o.size, o.window());
        link.probe(p);
        Pump.Trial t = Pump.windowed(p, 0, count, i -> link.send(p, i), timeout);
        if (t.delivered() != count) {
            complete = false;
            row("transport phase " + phase, "only " + t.delivered() + " of " + count + " arrived");
        }
        return t.rate();
    }

    private double rawTrial(RawWebSocket ws, int phase, int count, long timeout, ThreadCpu cpu)
            throws InterruptedException {
        Probe p = new Probe(phase, count, 1, o.size, o.window());
        ws.probe(p);
        if (cpu != null) {
            cpu.begin();
        }
        Pump.Trial t = Pump.windowed(p, 0, count, i -> ws.send(p, i), timeout);
        if (cpu != null) {
            cpu.end();
        }
        if (t.delivered() != count) {
            complete = false;
            row("raw phase " + phase, "only " + t.delivered() + " of " + count + " arrived");
        }
        return t.rate();
    }

    // ------------------------------------------------------------------ shared pieces

    private void formed(MeshCluster c) {
        long setup = c.awaitFormed(TimeUnit.SECONDS.toNanos(o.timeoutSeconds));
        int[] degrees = c.degrees();
        result.put("max_peers", Arrays.stream(c.targetPeers).max().orElse(0));
        result.put("degrees", degrees);
        if (setup >= 0) {
            row("setup (start until mesh formed)", ms(setup) + " ms");
            result.put("setup_ms", setup / 1e6);
            return;
        }
        result.put("setup_ms", null);
        row("setup (start until mesh formed)", "NOT formed in " + o.timeoutSeconds + " s; degrees "
                + Arrays.toString(degrees));
        if (!c.connected()) {
            complete = false;
            throw new ScenarioFailure("mesh not connected after " + o.timeoutSeconds + " s: degrees "
                    + Arrays.toString(degrees));
        }
        row("", "the mesh is connected; measuring anyway");
    }

    private void counters(MeshCluster c) {
        MeshStats s = c.totals();
        row("node counters (all nodes)", "published " + s.published() + ", delivered " + s.delivered()
                + ", forwarded " + s.forwarded() + ", duplicates " + s.duplicates());
        row("losses (all nodes)", "dropped " + s.dropped() + ", slow consumers " + s.slowConsumers()
                + ", bad frames " + s.badFrames() + ", bad signatures " + s.badSignatures());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("published", s.published());
        m.put("delivered", s.delivered());
        m.put("forwarded", s.forwarded());
        m.put("duplicates", s.duplicates());
        m.put("dropped", s.dropped());
        m.put("slow_consumers", s.slowConsumers());
        m.put("bad_frames", s.badFrames());
        m.put("bad_signatures", s.badSignatures());
        result.put("counters", m);
        List<String> losses = new ArrayList<>(c.linkLosses);
        result.put("links_lost", losses.size());
        if (!losses.isEmpty()) {
            row("links lost while running", losses.size() + "");
            losses.stream().limit(5).forEach(l -> row("", l));
        }
        // Slow-consumer disconnects are reported but do not fail the run by themselves: whether messages
        // were lost is decided by the probe.
        complete &= s.dropped() == 0 && s.badSignatures() == 0;
    }

    private void threads(ThreadCpu cpu, int cores, long messages) {
        if (!cpu.supported() || cpu.wallNanos() == 0) {
            return;
        }
        long switches = cpu.contextSwitchesCounted();
        if (switches >= 0 && messages > 0) {
            row("context switches in measurement", String.format(Locale.ROOT, "%,d (%.1f per message)", switches,
                    switches / (double) messages));
            result.put("context_switches_per_msg", switches / (double) messages);
        }
        if (messages > 0) {
            result.put("cpu_us_per_msg", cpu.processNanos() / 1e3 / messages);
            row("CPU per message", String.format(Locale.ROOT, "%.1f us (this JVM, all threads)",
                    cpu.processNanos() / 1e3 / messages));
        }
        double others = cpu.othersShare(cores);
        if (others >= 0) {
            row("other processes on this machine", pctText(others) + " of " + cores
                    + " cores during measurement" + (others > 0.05 ? "  << machine was NOT quiet" : ""));
            result.put("others_cpu_share", others);
        }
        double busy = cpu.processNanos() / (double) (cpu.wallNanos() * cores);
        row("this JVM's CPU in measurement", ms(cpu.processNanos()) + " ms CPU in " + ms(cpu.wallNanos())
                + " ms wall (" + pctText(busy) + " of " + cores + " cores)");
        result.put("cpu_busy", busy);
        if (!o.threads) {
            return;
        }
        Map<String, Long> groups = cpu.byGroupMillis();
        groups.entrySet().stream().filter(e -> e.getValue() > 0).limit(12)
                .forEach(e -> row("  threads " + e.getKey(), e.getValue() + " ms CPU"));
        result.put("cpu_ms_by_thread_group", groups);
    }

    /** Time the JIT compilers spent so far, in ms of compiler-thread time; -1 if not available. */
    private static long jitMillis() {
        java.lang.management.CompilationMXBean jit = java.lang.management.ManagementFactory.getCompilationMXBean();
        return jit != null && jit.isCompilationTimeMonitoringSupported() ? jit.getTotalCompilationTime() : -1;
    }

    private void row(String label, String value) {
        table.add(new String[] {label, value});
    }

    private void printTable() {
        int width = table.stream().mapToInt(r -> r[0].length()).max().orElse(10);
        String line = "-".repeat(width + 2) + "+" + "-".repeat(60);
        out.println(line);
        for (String[] r : table) {
            out.printf(Locale.ROOT, " %-" + width + "s | %s%n", r[0], r[1]);
        }
        out.println(line);
    }

    static int[] range(int from, int to) {
        int[] r = new int[to - from];
        for (int i = 0; i < r.length; i++) {
            r[i] = from + i;
        }
        return r;
    }

    /** Nearest-rank percentile of sorted values; 0 if empty. */
    static long pct(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    static long mean(long[] v) {
        return v.length == 0 ? 0 : (long) Arrays.stream(v).average().orElse(0);
    }

    static long max(long[] v) {
        return v.length == 0 ? 0 : v[v.length - 1];
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    private static List<Object> toList(double[] v) {
        List<Object> l = new ArrayList<>();
        for (double d : v) {
            l.add(d);
        }
        return l;
    }

    private static double micros(long nanos) {
        return nanos / 1e3;
    }

    private static String us(long nanos) {
        return String.format(Locale.ROOT, "%.1f", nanos / 1e3);
    }

    private static String ms(long nanos) {
        return String.format(Locale.ROOT, "%.1f", nanos / 1e6);
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%,.0f", v);
    }

    private static String pctText(double ratio) {
        return String.format(Locale.ROOT, "%.1f%%", ratio * 100);
    }
}
