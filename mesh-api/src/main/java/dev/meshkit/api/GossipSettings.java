package dev.meshkit.api;

import java.time.Duration;

/**
 * Broadcast settings.
 *
 * @param defaultTtl    hop limit of broadcasts that name none
 * @param dedupCapacity message ids remembered at most; the oldest is forgotten first
 * @param dedupTtl      how long a message id is remembered
 */
public record GossipSettings(int defaultTtl, int dedupCapacity, Duration dedupTtl) {
    /** Checks the bounds. */
    public GossipSettings {
        if (defaultTtl < 0 || defaultTtl > 255 || dedupCapacity < 16 || dedupTtl.isNegative() || dedupTtl.isZero()) {
            throw new IllegalArgumentException("gossip needs 0 <= ttl <= 255, capacity >= 16, positive dedup ttl");
        }
    }

    /** TTL 10, 100,000 ids for 5 minutes. */
    public static GossipSettings defaults() {
        return new GossipSettings(10, 100_000, Duration.ofMinutes(5));
    }
}
