package dev.meshkit.api;

import java.time.Duration;
import java.util.Objects;

/**
 * How a node scores its peers ({@link PeerScore}) and what the score does. Build with
 * {@link #builder()}.
 *
 * @param firstDeliveryWeight  reward for each message a peer was first to bring
 * @param firstDeliveryCap     most first deliveries counted
 * @param invalidMessageWeight penalty (negative) per invalid message, squared
 * @param brokenPromiseWeight  penalty (negative) per broken promise, squared
 * @param behaviourWeight      penalty (negative) per protocol fault, squared
 * @param colocationWeight     penalty (negative) per peer beyond {@code colocationThreshold} on one IP,
 *                             squared
 * @param colocationThreshold  peers one IP address may hold without penalty
 * @param halfLife             how fast the counters decay
 * @param trustedThreshold     score from which a peer is {@link Reputation#TRUSTED}
 * @param gossipThreshold      below it, a peer is {@link Reputation#SUSPICIOUS}: no announcements to it,
 *                             none taken from it
 * @param acceptThreshold      below it, nothing but handshake and keepalive frames is taken from a peer
 * @param disconnectThreshold  below it, a peer is disconnected and banned
 * @param retain               how long the score of a peer that left is remembered
 */
public record PeerScoring(double firstDeliveryWeight, int firstDeliveryCap, double invalidMessageWeight,
                          double brokenPromiseWeight, double behaviourWeight, double colocationWeight,
                          int colocationThreshold, Duration halfLife, double trustedThreshold,
                          double gossipThreshold, double acceptThreshold, double disconnectThreshold,
                          Duration retain) {

    /** Checks signs and the order of the thresholds. */
    public PeerScoring {
        Objects.requireNonNull(halfLife, "halfLife");
        Objects.requireNonNull(retain, "retain");
        if (firstDeliveryWeight < 0 || firstDeliveryCap < 0 || invalidMessageWeight > 0 || brokenPromiseWeight > 0
                || behaviourWeight > 0 || colocationWeight > 0 || colocationThreshold < 1) {
            throw new IllegalArgumentException("rewards must be >= 0, penalties <= 0, colocation threshold >= 1");
        }
        if (halfLife.isNegative() || halfLife.isZero() || retain.isNegative()) {
            throw new IllegalArgumentException("peer scoring needs a positive half-life and a non-negative retention");
        }
        if (!(trustedThreshold > 0 && 0 > gossipThreshold && gossipThreshold > acceptThreshold
                && acceptThreshold > disconnectThreshold)) {
            throw new IllegalArgumentException(
                    "peer scoring needs trusted > 0 > gossip > accept > disconnect thresholds");
        }
    }

    /** The defaults listed on {@link Builder}. */
    public static PeerScoring defaults() {
        return builder().build();
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Builds {@link PeerScoring}. Defaults: first deliveries +0.1 each up to 100; invalid messages −10,
     * broken promises −2, behaviour −1, colocation −5 beyond 3 peers an address (all squared); a half-life
     * of 1 minute; thresholds trusted 5, gossip −10, accept −50, disconnect −80 (three invalid messages
     * in a row disconnect); scores of departed peers kept 10 minutes.
     */
    public static final class Builder {
        private double firstDeliveryWeight = 0.1;
        private int firstDeliveryCap = 100;
        private double invalidMessageWeight = -10;
        private double brokenPromiseWeight = -2;
        private double behaviourWeight = -1;
        private double colocationWeight = -5;
        private int colocationThreshold = 3;
        private Duration halfLife = Duration.ofMinutes(1);
        private double trustedThreshold = 5;
        private double gossipThreshold = -10;
        private double acceptThreshold = -50;
        private double disconnectThreshold = -80;
        private Duration retain = Duration.ofMinutes(10);

        private Builder() {
        }

        /** Reward per first delivery, and how many count at most. */
        public Builder firstDeliveries(double weight, int cap) {
            this.firstDeliveryWeight = weight;
            this.firstDeliveryCap = cap;
            return this;
        }

        /** Penalty (negative) per invalid message, squared. */
        public Builder invalidMessageWeight(double weight) {
            this.invalidMessageWeight = weight;
            return this;
        }

        /** Penalty (negative) per broken promise, squared. */
        public Builder brokenPromiseWeight(double weight) {
            this.brokenPromiseWeight = weight;
            return this;
        }

        /** Penalty (negative) per protocol fault, squared. */
        public Builder behaviourWeight(double weight) {
            this.behaviourWeight = weight;
            return this;
        }

        /** Penalty (negative) per peer past {@code threshold} peers on one IP address, squared. */
        public Builder colocation(double weight, int threshold) {
            this.colocationWeight = weight;
            this.colocationThreshold = threshold;
            return this;
        }

        /** How fast counters decay. */
        public Builder halfLife(Duration d) {
            this.halfLife = d;
            return this;
        }

        /** Score thresholds: trusted above, then gossip, accept and disconnect below. */
        public Builder thresholds(double trusted, double gossip, double accept, double disconnect) {
            this.trustedThreshold = trusted;
            this.gossipThreshold = gossip;
            this.acceptThreshold = accept;
            this.disconnectThreshold = disconnect;
            return this;
        }

        /** How long a departed peer's score is remembered. */
        public Builder retain(Duration d) {
            this.retain = d;
            return this;
        }

        /** The settings; throws {@link IllegalArgumentException} if a value is out of range. */
        public PeerScoring build() {
            return new PeerScoring(firstDeliveryWeight, firstDeliveryCap, invalidMessageWeight, brokenPromiseWeight,
                    behaviourWeight, colocationWeight, colocationThreshold, halfLife, trustedThreshold,
                    gossipThreshold, acceptThreshold, disconnectThreshold, retain);
        }
    }
}
