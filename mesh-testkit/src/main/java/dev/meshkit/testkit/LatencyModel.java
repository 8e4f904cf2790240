package dev.meshkit.testkit;

import java.time.Duration;
import java.util.function.Function;
import java.util.random.RandomGenerator;

/**
 * How long a message takes from one simulated node to another: one-way latency, sampled per
 * message. A {@link SimNetwork} keeps each connection direction first-in first-out whatever the
 * samples are, so a model need not worry about reordering.
 *
 * <p>Implementations must be deterministic given the random source they are handed, and must not
 * keep a random source of their own, or runs stop being reproducible.
 */
@FunctionalInterface
public interface LatencyModel {

    /**
     * One-way latency in milliseconds for a message from node {@code from} to node {@code to}.
     * Negative values are treated as zero.
     *
     * @param random the network's seeded random source; draw from it, never from elsewhere
     */
    long sampleMillis(String from, String to, RandomGenerator random);

    /** The same latency for every message. */
    static LatencyModel fixed(Duration latency) {
        return new FixedLatency(latency.toMillis());
    }

    /** Latency drawn uniformly from {@code [min, max]}, inclusive, per message. */
    static LatencyModel uniform(Duration min, Duration max) {
        return new UniformLatency(min.toMillis(), max.toMillis());
    }

    /**
     * A base latency per pair of nodes, stable for the run and spread over {@code [min, max]}, plus up
     * to {@code jitter} per message: see {@link PerLinkLatency}.
     */
    static LatencyModel perLink(Duration min, Duration max, Duration jitter) {
        return new PerLinkLatency(min.toMillis(), max.toMillis(), jitter.toMillis(), 0);
    }

    /**
     * Starts a latency matrix: nodes are grouped into regions by {@code regionOf}, and each pair of
     * regions gets its own model. Use {@code Function.identity()} for a per-node-pair matrix.
     */
    static MatrixLatency.Builder matrix(Function<String, String> regionOf) {
        return MatrixLatency.builder(regionOf);
    }
}
