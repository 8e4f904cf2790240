package dev.meshkit.benchmarks.jmh;

import dev.meshkit.api.MessageId;
import dev.meshkit.api.NodeId;
import dev.meshkit.core.defence.ReplayGuard;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The node's replay guard at its default size: a {@link ReplayGuard} holding 262,144 message ids.
 *
 * <p>{@code seen*} is the check every received copy goes through before decoding; {@code accept*} is
 * the insert after a message verified (window, id and sequence checks included). A new id in a full
 * guard evicts the ids of the oldest second, which is the steady state of a busy node. Ids are made
 * up front, so only the guard is measured.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ReplayBenchmark {
    static final int ENTRIES = 1 << 18;
    // More ids than the guard holds, so cycling through them always misses.
    static final int POOL = 1 << 19;
    static final long NOW = 1_700_000_000_000L;
    static final long AGE = 10 * 60_000L;
    static final long SKEW = 60_000L;
    static final NodeId[] ORIGINS = new NodeId[16];

    static {
        for (int i = 0; i < ORIGINS.length; i++) {
            ORIGINS[i] = NodeId.ofPublicKey(new byte[] {(byte) i});
        }
    }

    static MessageId[] ids(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        MessageId[] out = new MessageId[n];
        for (int i = 0; i < n; i++) {
            out[i] = new MessageId(r.nextLong(), r.nextLong());
        }
        return out;
    }

    static ReplayGuard guard() {
        return new ReplayGuard(ENTRIES, AGE, SKEW, 64, 65_536);
    }

    /** A full guard and ids that are in it and ids that are not. */
    @State(Scope.Thread)
    public static class Full {
        ReplayGuard guard;
        MessageId[] present;
        MessageId[] absent;
        int i;

        /** Fills the guard, a millisecond of stamp per id. */
        @Setup(Level.Trial)
        public void setUp() {
            guard = guard();
            present = ids(ENTRIES, 1);
            absent = ids(ENTRIES, 2);
            for (int k = 0; k < ENTRIES; k++) {
                guard.accept(present[k], ORIGINS[k & 15], NOW - ENTRIES + k, k, NOW);
            }
        }

        int next() {
            int k = i++;
            if (i == ENTRIES) {
                i = 0;
            }
            return k;
        }
    }

    /** A full guard being fed ids it has not seen, each stamped a millisecond after the last. */
    @State(Scope.Thread)
    public static class Inserting {
        ReplayGuard guard;
        MessageId[] pool;
        long n;

        /** Fills the guard with the first ids of the pool. */
        @Setup(Level.Trial)
        public void setUp() {
            guard = guard();
            pool = ids(POOL, 3);
            for (n = 0; n < ENTRIES; n++) {
                accept();
            }
        }

        ReplayGuard.Verdict accept() {
            long stamp = NOW + n;
            return guard.accept(pool[(int) (n++ & (POOL - 1))], ORIGINS[(int) (n & 15)], stamp, n, stamp);
        }
    }

    /** Look-up of an id the guard holds (a duplicate copy). */
    @Benchmark
    public boolean seenHit(Full s) {
        return s.guard.seen(s.present[s.next()]);
    }

    /** Look-up of an id the guard does not hold (a first copy). */
    @Benchmark
    public boolean seenMiss(Full s) {
        return s.guard.seen(s.absent[s.next()]);
    }

    /** Accepting an id the guard holds: refused, nothing changes. */
    @Benchmark
    public ReplayGuard.Verdict acceptDuplicate(Full s) {
        int k = s.next();
        return s.guard.accept(s.present[k], ORIGINS[k & 15], NOW - ENTRIES + k, k, NOW);
    }

    /** Accepting a new id into the full guard: stored, the oldest second evicted now and then. */
    @Benchmark
    public ReplayGuard.Verdict acceptNew(Inserting s) {
        ReplayGuard.Verdict v = s.accept();
        if (v != ReplayGuard.Verdict.NEW) {
            throw new IllegalStateException("expected a new id, got " + v);
        }
        return v;
    }
}
