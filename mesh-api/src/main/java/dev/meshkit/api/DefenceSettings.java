package dev.meshkit.api;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The node's defences against floods, replays, Sybils and hostile peers. On by default; build with
 * {@link #builder()}. Rates are per remote IP address (connections, handshakes), per neighbour
 * (frames) and per origin (messages); a key that keeps exceeding its rate is banned for a while.
 *
 * @param enabled             false turns every defence here off (for benchmarks and closed test
 *                            networks); decoding limits, signatures and bounded queues stay
 * @param connections         inbound connections per remote IP address
 * @param handshakes          handshakes per remote IP address and per node id
 * @param frames              frames per neighbour
 * @param messages            messages per origin node, relayed or not; this node holds its own
 *                            broadcasts and direct messages to the same rate
 * @param violationsBeforeBan seconds over a limit that earn a ban
 * @param banDuration         how long a ban lasts
 * @param exempt              addresses no rate limit or subnet limit applies to (loopback by default)
 * @param maxPeersPerSubnet   neighbours from one subnet at most, counted apart for inbound and outbound
 * @param ipv4SubnetBits      what one IPv4 subnet is (24: a /24)
 * @param ipv6SubnetBits      what one IPv6 subnet is (48: a /48)
 * @param maxMessageAge       messages older than this are refused
 * @param maxClockSkew        messages stamped further in the future than this are refused
 * @param seenCapacity        message ids remembered at most; at the bound, the oldest-stamped ids are
 *                            forgotten and messages stamped no later than them are refused from then on
 * @param sequenceWindow      recent sequence numbers remembered per origin
 * @param puzzleMinBits       proof-of-work a dialler must show when this node is idle, in leading zero
 *                            bits of a hash
 * @param puzzleMaxBits       proof-of-work at the heaviest load; a dialler also refuses to solve more
 * @param scoring             peer scores and their thresholds
 * @param learnedDials        dials per interval of endpoints learned from one peer
 * @param dialRanges          ranges that endpoints learned from a peer may point into even when they
 *                            are more local than that peer (by default, a peer may only point as
 *                            far in as itself: a public peer to public addresses)
 */
public record DefenceSettings(boolean enabled, Rate connections, Rate handshakes, Rate frames, Rate messages,
                              int violationsBeforeBan, Duration banDuration, List<AddressRange> exempt,
                              int maxPeersPerSubnet, int ipv4SubnetBits, int ipv6SubnetBits,
                              Duration maxMessageAge, Duration maxClockSkew, int seenCapacity, int sequenceWindow,
                              int puzzleMinBits, int puzzleMaxBits, PeerScoring scoring, Rate learnedDials,
                              List<AddressRange> dialRanges) {

    /** Longest proof-of-work a node will ask for or solve: 2^24 hashes, about 10 s of one core. */
    public static final int MAX_PUZZLE_BITS = 24;

    /** Copies the lists and checks the values. */
    public DefenceSettings {
        exempt = List.copyOf(exempt);
        dialRanges = List.copyOf(dialRanges);
        Objects.requireNonNull(connections, "connections");
        Objects.requireNonNull(handshakes, "handshakes");
        Objects.requireNonNull(frames, "frames");
        Objects.requireNonNull(messages, "messages");
        Objects.requireNonNull(scoring, "scoring");
        Objects.requireNonNull(learnedDials, "learnedDials");
        if (violationsBeforeBan < 1 || !positive(banDuration) || maxPeersPerSubnet < 1) {
            throw new IllegalArgumentException("defences need violations >= 1, a positive ban, >= 1 peer a subnet");
        }
        if (ipv4SubnetBits < 1 || ipv4SubnetBits > 32 || ipv6SubnetBits < 1 || ipv6SubnetBits > 128) {
            throw new IllegalArgumentException("subnet prefixes must be 1..32 (IPv4) and 1..128 (IPv6)");
        }
        if (!positive(maxMessageAge) || !positive(maxClockSkew) || seenCapacity < 16 || sequenceWindow < 1
                || sequenceWindow > 1024) {
            throw new IllegalArgumentException("replay defence needs a positive age and skew, >= 16 ids, a "
                    + "sequence window of 1..1024");
        }
        if (puzzleMinBits < 0 || puzzleMaxBits < puzzleMinBits || puzzleMaxBits > MAX_PUZZLE_BITS) {
            throw new IllegalArgumentException("puzzle bits need 0 <= min <= max <= " + MAX_PUZZLE_BITS);
        }
    }

    private static boolean positive(Duration d) {
        return d != null && !d.isNegative() && !d.isZero();
    }

    /** The defaults listed on {@link Builder}. */
    public static DefenceSettings defaults() {
        return builder().build();
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Builds {@link DefenceSettings}. Defaults: 10 connections and 5 handshakes a minute per address;
     * 2,000 frames a second per neighbour (bursts of 4,000); 50 messages a second per origin (bursts of
     * 200); 5 seconds over a limit earn a 5-minute ban; loopback exempt; 3 neighbours per /24 or /48
     * each way; messages accepted from 10 minutes old to 60 seconds ahead, 262,144 ids and 64 sequence
     * numbers per origin remembered; proof-of-work from 8 to 20 bits; {@link PeerScoring#defaults()};
     * 30 dials a minute (bursts of 8) of endpoints learned from one peer, which may point no more
     * locally than the peer itself.
     */
    public static final class Builder {
        private boolean enabled = true;
        private Rate connections = Rate.perMinute(10);
        private Rate handshakes = Rate.perMinute(5);
        private Rate frames = new Rate(2000, 4000);
        private Rate messages = new Rate(50, 200);
        private int violationsBeforeBan = 5;
        private Duration banDuration = Duration.ofMinutes(5);
        private List<AddressRange> exempt = AddressRange.LOOPBACK;
        private int maxPeersPerSubnet = 3;
        private int ipv4SubnetBits = 24;
        private int ipv6SubnetBits = 48;
        private Duration maxMessageAge = Duration.ofMinutes(10);
        private Duration maxClockSkew = Duration.ofSeconds(60);
        private int seenCapacity = 1 << 18;
        private int sequenceWindow = 64;
        private int puzzleMinBits = 8;
        private int puzzleMaxBits = 20;
        private PeerScoring scoring = PeerScoring.defaults();
        private Rate learnedDials = Rate.perMinute(30).withBurst(8);
        private List<AddressRange> dialRanges = List.of();

        private Builder() {
        }

        /** False turns the defences off. */
        public Builder enabled(boolean on) {
            this.enabled = on;
            return this;
        }

        /** Inbound connections per remote IP address. */
        public Builder connections(Rate rate) {
            this.connections = rate;
            return this;
        }

        /** Handshakes per remote IP address and per node id. */
        public Builder handshakes(Rate rate) {
            this.handshakes = rate;
            return this;
        }

        /** Frames per neighbour. */
        public Builder frames(Rate rate) {
            this.frames = rate;
            return this;
        }

        /** Messages per origin node. */
        public Builder messages(Rate rate) {
            this.messages = rate;
            return this;
        }

        /** Seconds over a limit that earn a ban, and how long it lasts. */
        public Builder bans(int violations, Duration duration) {
            this.violationsBeforeBan = violations;
            this.banDuration = duration;
            return this;
        }

        /** Addresses exempt from rate and subnet limits; the list replaces the default (loopback). */
        public Builder exempt(List<AddressRange> ranges) {
            this.exempt = ranges;
            return this;
        }

        /** Neighbours per subnet each way, and the subnet sizes. */
        public Builder subnets(int maxPeers, int ipv4Bits, int ipv6Bits) {
            this.maxPeersPerSubnet = maxPeers;
            this.ipv4SubnetBits = ipv4Bits;
            this.ipv6SubnetBits = ipv6Bits;
            return this;
        }

        /** How old and how far ahead a message may be stamped. */
        public Builder messageWindow(Duration maxAge, Duration maxSkew) {
            this.maxMessageAge = maxAge;
            this.maxClockSkew = maxSkew;
            return this;
        }

        /** Message ids remembered at most. */
        public Builder seenCapacity(int ids) {
            this.seenCapacity = ids;
            return this;
        }

        /** Recent sequence numbers remembered per origin. */
        public Builder sequenceWindow(int size) {
            this.sequenceWindow = size;
            return this;
        }

        /** Proof-of-work bits asked of diallers, idle and at the heaviest load. */
        public Builder puzzle(int minBits, int maxBits) {
            this.puzzleMinBits = minBits;
            this.puzzleMaxBits = maxBits;
            return this;
        }

        /** Peer scoring. */
        public Builder scoring(PeerScoring settings) {
            this.scoring = settings;
            return this;
        }

        /** Dials of endpoints learned from one peer. */
        public Builder learnedDials(Rate rate) {
            this.learnedDials = rate;
            return this;
        }

        /** Ranges learned endpoints may point into whoever told of them. */
        public Builder dialRanges(List<AddressRange> ranges) {
            this.dialRanges = ranges;
            return this;
        }

        /** The settings; throws {@link IllegalArgumentException} if a value is out of range. */
        public DefenceSettings build() {
            return new DefenceSettings(enabled, connections, handshakes, frames, messages, violationsBeforeBan,
                    banDuration, exempt, maxPeersPerSubnet, ipv4SubnetBits, ipv6SubnetBits, maxMessageAge,
                    maxClockSkew, seenCapacity, sequenceWindow, puzzleMinBits, puzzleMaxBits, scoring, learnedDials,
                    dialRanges);
        }
    }
}
