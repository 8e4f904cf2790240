package dev.meshkit.testkit;

import java.util.random.RandomGenerator;

/**
 * A latency that belongs to the link: each pair of nodes gets its own base latency, spread evenly
 * over {@code [minMillis, maxMillis]} by a hash of the two names and stable for the whole run (the
 * same both ways), plus a uniform jitter of up to {@code jitterMillis} per message. Real links behave
 * so: a slow path stays slow. With a latency drawn afresh for every message instead, no fixed route
 * can be faster than another, which favours flooding over any tree.
 *
 * @param minMillis    smallest base latency, not negative
 * @param maxMillis    largest base latency, not below {@code minMillis}
 * @param jitterMillis largest extra latency per message, not negative
 * @param salt         varies which pairs get which base; the same salt gives the same bases
 */
public record PerLinkLatency(long minMillis, long maxMillis, long jitterMillis, long salt) implements LatencyModel {
    /** Checks the bounds. */
    public PerLinkLatency {
        if (minMillis < 0 || maxMillis < minMillis || jitterMillis < 0) {
            throw new IllegalArgumentException("need 0 <= min <= max and jitter >= 0, got [" + minMillis + ", "
                    + maxMillis + "] + " + jitterMillis);
        }
    }

    @Override
    public long sampleMillis(String from, String to, RandomGenerator random) {
        return baseMillis(from, to) + random.nextLong(jitterMillis + 1); // always one draw, as UniformLatency
    }

    /** The link's base latency, the same for both directions. */
    public long baseMillis(String a, String b) {
        long x = a.hashCode();
        long y = b.hashCode();
        long h = mix(Math.min(x, y) * 0x9E3779B97F4A7C15L ^ mix(Math.max(x, y) ^ salt));
        return minMillis + Math.floorMod(h, maxMillis - minMillis + 1);
    }

    // SplitMix64's finaliser: neighbouring inputs give unrelated outputs.
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
