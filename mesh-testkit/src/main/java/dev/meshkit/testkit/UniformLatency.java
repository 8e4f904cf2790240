package dev.meshkit.testkit;

import java.util.random.RandomGenerator;

/**
 * A one-way latency drawn uniformly from {@code [minMillis, maxMillis]}, inclusive, per message.
 *
 * @param minMillis smallest latency, not negative
 * @param maxMillis largest latency, not below {@code minMillis}
 */
public record UniformLatency(long minMillis, long maxMillis) implements LatencyModel {
    /** Checks the bounds. */
    public UniformLatency {
        if (minMillis < 0 || maxMillis < minMillis) {
            throw new IllegalArgumentException("need 0 <= min <= max, got [" + minMillis + ", " + maxMillis + "]");
        }
    }

    @Override
    public long sampleMillis(String from, String to, RandomGenerator random) {
        // Always one draw, even when min == max, so the random stream does not depend on the bounds.
        long span = maxMillis - minMillis + 1;
        return minMillis + random.nextLong(span);
    }
}
