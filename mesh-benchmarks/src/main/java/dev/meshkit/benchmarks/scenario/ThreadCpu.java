package dev.meshkit.benchmarks.scenario;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * CPU time per group of threads over measured intervals, from the JVM's own per-thread accounting.
 * Threads are grouped by name with ids and counters masked, e.g. every node's event loop falls into
 * {@code meshkit-loop-*}. Threads that start and end inside an interval are not seen.
 */
final class ThreadCpu {
    // A name part with a digit in it is an id or a counter: "meshkit-loop-3fa9c2e1" -> "meshkit-loop-*".
    private static final Pattern JVM_THREAD = Pattern.compile("C1 Compiler|C2 Compiler|GC Thread|G1 |VM Thread");
    private static final Pattern ID_PART = Pattern.compile("(?<=^|[-_ ])[0-9A-Za-z]*[0-9][0-9A-Za-z]*(?=$|[-_ ])");
    private final ThreadMXBean bean = ManagementFactory.getThreadMXBean();
    private final boolean supported;
    private final Map<String, Long> totals = new TreeMap<>();
    private Map<Long, long[]> start;
    private Map<Long, String> names;
    private Map<String, Long> jvmStart = Map.of();
    private long wallNanos;
    private long intervalStart;
    private long hostBusyStart = -1;
    private long processCpuStart;
    private long hostBusyNanos;
    private long processCpuNanos;
    private boolean hostKnown = true;
    private long switchesStart = -1;
    private long switches;
    private boolean switchesKnown = true;

    ThreadCpu() {
        boolean ok = bean.isThreadCpuTimeSupported();
        if (ok && !bean.isThreadCpuTimeEnabled()) {
            try {
                bean.setThreadCpuTimeEnabled(true);
            } catch (UnsupportedOperationException | SecurityException e) {
                ok = false;
            }
        }
        supported = ok;
    }

    /** Opens an interval. */
    void begin() {
        if (!supported) {
            return;
        }
        start = new HashMap<>();
        names = new HashMap<>();
        for (long id : bean.getAllThreadIds()) {
            long cpu = bean.getThreadCpuTime(id);
            if (cpu >= 0) {
                start.put(id, new long[] {cpu});
            }
        }
        jvmStart = jvmThreadTicks();
        hostBusyStart = hostBusyNanos();
        processCpuStart = processCpuNanos();
        switchesStart = contextSwitches();
        intervalStart = System.nanoTime();
    }

    /** Closes the interval and adds its CPU time per group to the totals. */
    void end() {
        if (!supported || start == null) {
            return;
        }
        wallNanos += System.nanoTime() - intervalStart;
        long sw = contextSwitches();
        if (sw < 0 || switchesStart < 0) {
            switchesKnown = false;
        } else {
            switches += sw - switchesStart;
        }
        long hostBusy = hostBusyNanos();
        long processCpu = processCpuNanos();
        if (hostBusy < 0 || hostBusyStart < 0 || processCpu < 0) {
            hostKnown = false;
        } else {
            hostBusyNanos += hostBusy - hostBusyStart;
            processCpuNanos += processCpu - processCpuStart;
        }
        Map<String, Long> jvmEnd = jvmThreadTicks();
        jvmEnd.forEach((tid, ticks) -> {
            long delta = ticks - jvmStart.getOrDefault(tid, 0L);
            if (delta > 0) {
                totals.merge(jvmGroup(tid), delta * (1_000_000_000L / 100), Long::sum);
            }
        });
        for (long id : bean.getAllThreadIds()) {
            long cpu = bean.getThreadCpuTime(id);
            if (cpu < 0) {
                continue;
            }
            long[] before = start.get(id);
            long delta = cpu - (before == null ? 0 : before[0]);
            if (delta <= 0) {
                continue;
            }
            ThreadInfo info = bean.getThreadInfo(id);
            String name = info == null ? "?" : group(info.getThreadName());
            totals.merge(name, delta, Long::sum);
        }
        start = null;
    }

    /**
     * CPU ticks (1/100 s) of the JVM's own threads, which the thread bean does not list: JIT
     * compilers, garbage collector, VM thread. Keyed by "tid name"; empty where /proc is unreadable.
     */
    static Map<String, Long> jvmThreadTicks() {
        Map<String, Long> out = new HashMap<>();
        if (!eachTask("stat", (task, stat) -> {
            int open = stat.indexOf('(');
            int close = stat.lastIndexOf(')');
            String name = stat.substring(open + 1, close);
            if (JVM_THREAD.matcher(name).lookingAt()) {
                String[] f = stat.substring(close + 2).split(" ");
                // Fields after the name: state is 0, utime 11, stime 12.
                out.put(task + " " + name, Long.parseLong(f[11]) + Long.parseLong(f[12]));
            }
        })) {
            return Map.of();
        }
        return out;
    }

    /**
     * Hands the text of {@code file} of each of this process's threads (in /proc/self/task) to
     * {@code read}, with the thread's id; a thread that ends meanwhile is skipped. False if /proc
     * cannot be read.
     */
    private static boolean eachTask(String file, java.util.function.BiConsumer<String, String> read) {
        try (java.util.stream.Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path t : (Iterable<Path>) tasks::iterator) {
                try {
                    read.accept(t.getFileName().toString(), Files.readString(t.resolve(file)));
                } catch (java.io.IOException | RuntimeException gone) {
                    // the thread ended while we looked
                }
            }
            return true;
        } catch (java.io.IOException | RuntimeException e) {
            return false;
        }
    }

    private static String jvmGroup(String tidAndName) {
        String name = tidAndName.substring(tidAndName.indexOf(' ') + 1);
        if (name.contains("Compiler")) {
            return "(JVM) JIT compiler";
        }
        if (name.startsWith("VM Thread")) {
            return "(JVM) VM thread";
        }
        return "(JVM) garbage collector";
    }

    static String group(String threadName) {
        return ID_PART.matcher(threadName).replaceAll("*");
    }

    boolean supported() {
        return supported;
    }

    long wallNanos() {
        return wallNanos;
    }

    /** Groups by CPU time, largest first, as CPU milliseconds. */
    Map<String, Long> byGroupMillis() {
        Map<String, Long> out = new LinkedHashMap<>();
        totals.entrySet().stream()
                .sorted((a, b) -> Long.compare(b.getValue(), a.getValue()))
                .forEach(e -> out.put(e.getKey(), e.getValue() / 1_000_000));
        return out;
    }

    /**
     * Share of the machine's CPU capacity that other processes used during the intervals (from
     * /proc/stat less this process's CPU time), or -1 where that cannot be read. Benchmarks on a
     * shared machine are only comparable when this is small.
     */
    double othersShare(int cores) {
        if (!hostKnown || wallNanos == 0) {
            return -1;
        }
        return Math.max(0, hostBusyNanos - processCpuNanos) / (double) (wallNanos * cores);
    }

    /** This process's CPU time during the intervals, all threads (GC and JIT included). */
    long processNanos() {
        return processCpuNanos;
    }

    /**
     * Context switches (voluntary and not) of this process's threads during the intervals, or -1 where
     * /proc cannot be read. Threads that ended meanwhile are not counted. Many switches per message
     * mean work handed between threads one item at a time.
     */
    long contextSwitchesCounted() {
        return switchesKnown ? switches : -1;
    }

    /** Sum over this process's live threads of their context switches so far; -1 if unavailable. */
    static long contextSwitches() {
        long[] total = new long[1];
        boolean read = eachTask("status", (task, status) -> {
            for (String line : status.split("\n")) {
                if (line.startsWith("voluntary_ctxt_switches:") || line.startsWith("nonvoluntary_ctxt_switches:")) {
                    total[0] += Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
                }
            }
        });
        return read ? total[0] : -1;
    }

    /** Busy CPU time of the whole machine since boot, from /proc/stat; -1 if unavailable. */
    static long hostBusyNanos() {
        try {
            String first = Files.readAllLines(Path.of("/proc/stat")).get(0);
            String[] f = first.trim().split("\\s+");
            if (!f[0].equals("cpu")) {
                return -1;
            }
            long busy = 0;
            for (int i = 1; i < f.length && i <= 8; i++) {
                if (i != 4 && i != 5) { // idle, iowait
                    busy += Long.parseLong(f[i]);
                }
            }
            return busy * (1_000_000_000L / 100); // USER_HZ is 100 on Linux
        } catch (Exception e) {
            return -1;
        }
    }

    static long processCpuNanos() {
        java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean) {
            return ((com.sun.management.OperatingSystemMXBean) os).getProcessCpuTime();
        }
        return -1;
    }

    long totalNanos() {
        return totals.values().stream().mapToLong(Long::longValue).sum();
    }
}
