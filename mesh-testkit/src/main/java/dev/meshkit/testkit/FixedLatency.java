package dev.meshkit.testkit;

import java.util.random.RandomGenerator;

/**
 * A constant one-way latency. Draws nothing from the random source, so switching between fixed
 * latencies does not shift any other random decision of the run.
 *
 * @param millis one-way latency in milliseconds, not negative
 */
public record FixedLatency(long millis) implements LatencyModel {
    /** Checks the bound. */
    public FixedLatency {
        if (millis < 0) {
            throw new IllegalArgumentException("latency must not be negative: " + millis);
        }
    }

    @Override
    public long sampleMillis(String from, String to, RandomGenerator random) {
        return millis;
    }
}
