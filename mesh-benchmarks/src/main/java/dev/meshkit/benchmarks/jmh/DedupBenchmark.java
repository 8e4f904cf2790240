package dev.meshkit.benchmarks.jmh;

import dev.meshkit.api.MessageId;
import dev.meshkit.core.gossip.DedupCache;
import java.util.HexFormat;
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
 * The node's duplicate filter at its default size: a {@link DedupCache} holding 100,000 message ids.
 *
 * <p>{@code contains*} is the check every received copy goes through; {@code add*} is the insert after a
 * message verified. A miss on {@code add} inserts a new id and evicts the oldest, which is the steady
 * state of a busy node. Ids are made up front, so only the cache is measured; the clock is a constant,
 * so nothing expires during the run.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class DedupBenchmark {
    static final int ENTRIES = 100_000;
    // More ids than the cache holds, so cycling through them in insertion order always misses.
    static final int POOL = 1 << 18;
    static final long NOW = 1_700_000_000_000L;
    static final long TTL = 5 * 60_000L;

    static MessageId[] ids(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        HexFormat hex = HexFormat.of();
        MessageId[] out = new MessageId[n];
        byte[] b = new byte[MessageId.BYTES];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < b.length; j++) {
                b[j] = (byte) r.nextInt(256);
            }
            out[i] = MessageId.parse(hex.formatHex(b));
        }
        return out;
    }

    /** A full cache and ids that are in it and ids that are not. */
    @State(Scope.Thread)
    public static class Full {
        DedupCache cache;
        MessageId[] present;
        MessageId[] absent;
        int i;

        /** Fills the cache. */
        @Setup(Level.Trial)
        public void setUp() {
            cache = new DedupCache(ENTRIES, TTL);
            present = ids(ENTRIES, 1);
            absent = ids(ENTRIES, 2);
            for (MessageId id : present) {
                cache.add(id, NOW);
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

    /** A full cache being fed ids it has not seen (or has forgotten). */
    @State(Scope.Thread)
    public static class Inserting {
        DedupCache cache;
        MessageId[] pool;
        int i;

        /** Fills the cache with the first 100,000 ids of the pool. */
        @Setup(Level.Trial)
        public void setUp() {
            cache = new DedupCache(ENTRIES, TTL);
            pool = ids(POOL, 3);
            for (i = 0; i < ENTRIES; i++) {
                cache.add(pool[i], NOW);
            }
        }

        MessageId next() {
            MessageId id = pool[i];
            i = (i + 1) & (POOL - 1);
            return id;
        }
    }

    /** Look-up of an id the cache holds (a duplicate copy). */
    @Benchmark
    public boolean containsHit(Full s) {
        return s.cache.contains(s.present[s.next()], NOW);
    }

    /** Look-up of an id the cache does not hold (a first copy). */
    @Benchmark
    public boolean containsMiss(Full s) {
        return s.cache.contains(s.absent[s.next()], NOW);
    }

    /** Insert of an id the cache holds: refused, nothing changes. */
    @Benchmark
    public boolean addHit(Full s) {
        return s.cache.add(s.present[s.next()], NOW);
    }

    /** Insert of a new id into the full cache: stored, the oldest evicted. */
    @Benchmark
    public boolean addMiss(Inserting s) {
        boolean added = s.cache.add(s.next(), NOW);
        if (!added) {
            throw new IllegalStateException("expected a miss");
        }
        return added;
    }
}
