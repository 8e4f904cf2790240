package dev.meshkit.api;

import java.time.Duration;
import java.util.Objects;

/**
 * Broadcast settings. Build with {@link #builder()}; {@link #defaults()} suits most networks.
 *
 * @param defaultTtl     hop limit of broadcasts that name none, and of direct messages. With {@link Dissemination#TREE} the hops
 *                       are counted along the tree, which is not the shortest path: a broadcast meant
 *                       for a neighbourhood of radius k is a job for {@link Dissemination#FLOOD}
 * @param dissemination  how a message travels: down a tree with lazy repair, or flooded on every link
 * @param announceDelay  {@link Dissemination#TREE}: how long ids wait to be announced together on a lazy link
 * @param graftTimeout   {@link Dissemination#TREE}: how long an announced message may stay missing before it
 *                       is asked for (and asked again from another neighbour)
 */
public record GossipSettings(int defaultTtl, Dissemination dissemination,
                             Duration announceDelay, Duration graftTimeout) {

    /** How a broadcast reaches every node. */
    public enum Dissemination {
        /**
         * Each message is pushed down a spanning tree and only announced (by id) on the other links; a
         * node that hears of a message it lacks asks for it and mends the tree (in the manner of
         * Plumtree). About one payload copy per node instead of one per link.
         */
        TREE,
        /** Every node sends every message on every link: the most redundant, the least traffic-efficient. */
        FLOOD
    }

    /** Checks the bounds. */
    public GossipSettings {
        Objects.requireNonNull(dissemination, "dissemination");
        if (defaultTtl < 0 || defaultTtl > 255) {
            throw new IllegalArgumentException("gossip needs 0 <= ttl <= 255");
        }
        if (!positive(announceDelay) || !positive(graftTimeout)) {
            throw new IllegalArgumentException("gossip needs a positive announce delay and graft timeout");
        }
    }

    private static boolean positive(Duration d) {
        return d != null && !d.isNegative() && !d.isZero();
    }

    /**
     * TTL 255 (every node, however deep the tree); tree dissemination,
     * ids announced in batches every 100 ms, a missing message asked for after 500 ms.
     */
    public static GossipSettings defaults() {
        return builder().build();
    }

    /** A builder starting from the {@link #defaults()}. */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds {@link GossipSettings}; every setter has a default. */
    public static final class Builder {
        private int defaultTtl = 255;
        private Dissemination dissemination = Dissemination.TREE;
        private Duration announceDelay = Duration.ofMillis(100);
        private Duration graftTimeout = Duration.ofMillis(500);

        private Builder() {
        }

        /** Hop limit of broadcasts that name none (0 = neighbours only, 255 = no limit). */
        public Builder defaultTtl(int ttl) {
            this.defaultTtl = ttl;
            return this;
        }

        /** Tree (default) or flood. */
        public Builder dissemination(Dissemination mode) {
            this.dissemination = mode;
            return this;
        }

        /** How long ids wait to be announced together on a lazy link. */
        public Builder announceDelay(Duration delay) {
            this.announceDelay = delay;
            return this;
        }

        /** How long an announced message may stay missing before it is asked for. */
        public Builder graftTimeout(Duration timeout) {
            this.graftTimeout = timeout;
            return this;
        }

        /** The settings; throws {@link IllegalArgumentException} if a value is out of range. */
        public GossipSettings build() {
            return new GossipSettings(defaultTtl, dissemination, announceDelay, graftTimeout);
        }
    }
}
