package dev.meshkit.api;

import java.time.Duration;

/**
 * Reconnect delays: exponential with full jitter. Attempt {@code n} (from 0) waits a uniformly random
 * time in {@code [0, min(max, initial * 2^n)]}; after {@code maxAttempts} failed attempts the node
 * gives up on that peer.
 *
 * @param initial     the bound of the first delay
 * @param max         the cap on every delay
 * @param maxAttempts attempts before giving up
 */
public record Backoff(Duration initial, Duration max, int maxAttempts) {
    /** Checks the bounds. */
    public Backoff {
        if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0 || maxAttempts < 1) {
            throw new IllegalArgumentException("backoff needs 0 < initial <= max and maxAttempts >= 1");
        }
    }

    /** 1 s first bound, 60 s cap, 10 attempts. */
    public static Backoff defaults() {
        return new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(60), 10);
    }

    /** The upper bound of the delay before attempt {@code attempt} (0-based), in milliseconds. */
    public long boundMillis(int attempt) {
        long cap = max.toMillis();
        long bound = initial.toMillis();
        // Doubling stops at the cap, so the shift can never overflow.
        for (int i = 0; i < attempt && bound < cap; i++) {
            bound <<= 1;
        }
        return Math.min(cap, bound);
    }

    /** The delay for {@code attempt} given a uniform random draw {@code unit} in [0, 1). */
    public long delayMillis(int attempt, double unit) {
        return (long) (boundMillis(attempt) * unit);
    }
}
