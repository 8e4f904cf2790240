package dev.meshkit.core.defence;

import dev.meshkit.api.DefenceSettings;
import dev.meshkit.api.Endpoint;
import dev.meshkit.api.NodeId;
import dev.meshkit.api.Rate;
import dev.meshkit.core.defence.RateLimiter.Verdict;

/**
 * One node's rate limits and bans, as {@link DefenceSettings} configure them: what the node asks
 * before it accepts a connection, a handshake, a frame or a message, and before it sends a message of
 * its own. Addresses in the exempt ranges skip the limits keyed by address and by the node ids that
 * come from them. With the defences off every answer is "allowed". Times are monotonic milliseconds.
 * Use on the event loop only, but for {@link #mayPublish}, which application threads call.
 */
public final class Defences {
    /** Addresses and node ids tracked at most per limit. */
    static final int MAX_KEYS = 4096;
    /** Origins whose message rate is tracked at most. */
    static final int MAX_ORIGINS = 65_536;
    /** A receiver's burst over the sender's: arrival jitter bunches messages a sender spaced out. */
    private static final int RECEIVER_BURST_FACTOR = 2;

    private final DefenceSettings settings;
    private final RateLimiter<String> connections;
    private final RateLimiter<String> handshakesByAddress;
    private final RateLimiter<NodeId> handshakesById;
    private final RateLimiter<NodeId> frames;
    private final RateLimiter<NodeId> messages;
    private final RateLimiter<Boolean> own;
    private final RateLimiter<String> learnedDials;
    private final Bans<NodeId> bans;

    /** The limits {@code settings} describe. */
    public Defences(DefenceSettings settings) {
        this.settings = settings;
        long ban = settings.banDuration().toMillis();
        int violations = settings.violationsBeforeBan();
        this.connections = limiter(MAX_KEYS, settings.connections(), 1, violations, ban);
        this.handshakesByAddress = limiter(MAX_KEYS, settings.handshakes(), 1, violations, ban);
        this.handshakesById = limiter(MAX_KEYS, settings.handshakes(), 1, violations, ban);
        this.frames = limiter(MAX_KEYS, settings.frames(), 1, violations, ban);
        this.messages = limiter(MAX_ORIGINS, settings.messages(), RECEIVER_BURST_FACTOR, violations, ban);
        // This node is never banned by itself: it is only told to slow down.
        this.own = limiter(1, settings.messages(), 1, Integer.MAX_VALUE, ban);
        this.bans = new Bans<>(MAX_KEYS, ban);
        // Holding back a dial is no offence of the peer that told of the endpoint.
        this.learnedDials = limiter(MAX_KEYS, settings.learnedDials(), 1, Integer.MAX_VALUE, ban);
    }

    private static <K> RateLimiter<K> limiter(int keys, Rate rate, int burstFactor, int violations, long ban) {
        return new RateLimiter<>(keys, rate.perSecond(), (int) Math.min(Integer.MAX_VALUE,
                (long) rate.burst() * burstFactor), violations, ban);
    }

    /** The settings these defences follow. */
    public DefenceSettings settings() {
        return settings;
    }

    /** True if the defences are on and {@code address} is not exempt from them. */
    public boolean applies(RemoteAddress address) {
        return settings.enabled() && !address.in(settings.exempt());
    }

    /** An inbound connection from {@code address}. */
    public Verdict connection(RemoteAddress address, long now) {
        return applies(address) ? connections.acquire(address.host(), now) : Verdict.ALLOWED;
    }

    /**
     * A handshake from {@code address} by {@code peer}: banned if either is, limited if either is
     * over its rate.
     */
    public Verdict handshake(RemoteAddress address, NodeId peer, long now) {
        if (!settings.enabled()) {
            return Verdict.ALLOWED;
        }
        if (bans.banned(peer, now)) {
            return Verdict.BANNED;
        }
        if (!applies(address)) {
            return Verdict.ALLOWED;
        }
        Verdict byAddress = handshakesByAddress.acquire(address.host(), now);
        Verdict byId = handshakesById.acquire(peer, now);
        return byAddress.compareTo(byId) >= 0 ? byAddress : byId;
    }

    /** A frame from neighbour {@code peer}, whose address the defences {@link #applies apply} to. */
    public Verdict frame(NodeId peer, long now) {
        return frames.acquire(peer, now);
    }

    /** A message signed by {@code origin}, whoever relayed it. */
    public Verdict message(NodeId origin, long now) {
        return settings.enabled() ? messages.acquire(origin, now) : Verdict.ALLOWED;
    }

    /** True if this node may send a message of its own now without its peers refusing it. */
    public boolean mayPublish(long now) {
        if (!settings.enabled()) {
            return true;
        }
        synchronized (own) {
            return own.acquire(Boolean.TRUE, now) == Verdict.ALLOWED;
        }
    }

    /** True if an endpoint {@code source} told of may be dialled now. */
    public boolean mayDialLearned(String source, long now) {
        return !settings.enabled() || learnedDials.acquire(source, now) == Verdict.ALLOWED;
    }

    /** True if this node may dial {@code endpoint} because a peer at {@code teller} told of it. */
    public boolean mayDial(Endpoint endpoint, RemoteAddress teller) {
        return !settings.enabled() || DialScope.mayDial(endpoint, teller, settings.dialRanges());
    }

    /** The subnet of {@code address} as the settings size subnets. */
    public String subnet(RemoteAddress address) {
        return address.subnet(settings.ipv4SubnetBits(), settings.ipv6SubnetBits());
    }

    /** Bans {@code peer} for the ban duration. */
    public void ban(NodeId peer, long now) {
        if (settings.enabled()) {
            bans.ban(peer, now);
        }
    }

    /** Whether {@code peer} is banned, by {@link #ban} or for exceeding a rate. */
    public boolean banned(NodeId peer, long now) {
        return settings.enabled() && (bans.banned(peer, now) || handshakesById.banned(peer, now)
                || frames.banned(peer, now));
    }
}
