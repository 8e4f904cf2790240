package dev.meshkit.core.defence;

import dev.meshkit.api.NodeId;
import dev.meshkit.api.PeerScore;
import dev.meshkit.api.PeerScoring;
import dev.meshkit.api.Reputation;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Scores peers in the manner of gossipsub v1.1: decaying counters of what each peer did, penalties
 * that grow with their square, and an IP colocation penalty. A peer's record outlives its link for
 * {@link PeerScoring#retain()}, so leaving and coming back does not wash a score clean. Bounded: past
 * {@code capacity} records the least recently touched record of a departed peer is dropped. Use on
 * the event loop only; times are monotonic milliseconds.
 */
public final class PeerScores {
    /** Counters below this are taken as zero, so decayed records can be dropped. */
    private static final double ZERO = 0.01;

    private final PeerScoring settings;
    private final int capacity;
    private final Map<NodeId, Record> records = new LinkedHashMap<>(64, 0.75f, true);
    /** Connected peers per IP address, for the colocation penalty. */
    private final Map<String, Integer> perAddress = new HashMap<>();
    private long decayedAt = Long.MIN_VALUE;

    /** Keeps at most {@code capacity} records. */
    public PeerScores(PeerScoring settings, int capacity) {
        this.settings = settings;
        this.capacity = capacity;
    }

    /**
     * A link to {@code peer} came up; {@code address} is the IP address it shares with others for the
     * colocation penalty, or {@code null} when it is exempt.
     */
    public void connected(NodeId peer, String address) {
        Record r = record(peer);
        if (r.connected) {
            disconnected(peer, Long.MIN_VALUE);
            r = record(peer);
        }
        r.connected = true;
        r.address = address;
        if (address != null) {
            perAddress.merge(address, 1, Integer::sum);
        }
    }

    /** The link to {@code peer} went down at {@code now}. */
    public void disconnected(NodeId peer, long now) {
        Record r = records.get(peer);
        if (r == null || !r.connected) {
            return;
        }
        r.connected = false;
        r.leftAt = now;
        if (r.address != null) {
            perAddress.computeIfPresent(r.address, (k, n) -> n > 1 ? n - 1 : null);
            r.address = null;
        }
    }

    /** {@code peer} was the first to bring a valid message. */
    public void firstDelivery(NodeId peer) {
        Record r = record(peer);
        r.firstDeliveries = Math.min(settings.firstDeliveryCap(), r.firstDeliveries + 1);
    }

    /** {@code peer} sent a message with a bad signature or one it had no right to send. */
    public void invalidMessage(NodeId peer) {
        record(peer).invalid++;
    }

    /** {@code peer} announced a message and did not send it when asked. */
    public void brokenPromise(NodeId peer) {
        record(peer).broken++;
    }

    /** {@code peer} broke the protocol: a bad frame, a stale or replayed message. */
    public void misbehaved(NodeId peer) {
        record(peer).behaviour++;
    }

    /** The peer's score; 0 for a peer without a record. */
    public double score(NodeId peer) {
        Record r = records.get(peer);
        return r == null ? 0 : score(r);
    }

    /** The level {@code score} puts a peer at; {@code banned} overrides it. */
    public Reputation reputation(double score, boolean banned) {
        if (banned || score < settings.disconnectThreshold()) {
            return Reputation.BANNED;
        }
        if (score < settings.gossipThreshold()) {
            return Reputation.SUSPICIOUS;
        }
        return score >= settings.trustedThreshold() ? Reputation.TRUSTED : Reputation.NORMAL;
    }

    /** True if announcements must neither go to nor be taken from {@code peer}. */
    public boolean belowGossip(NodeId peer) {
        return score(peer) < settings.gossipThreshold();
    }

    /** True if nothing but keepalive and goodbye frames may be taken from {@code peer}. */
    public boolean belowAccept(NodeId peer) {
        return score(peer) < settings.acceptThreshold();
    }

    /** True if {@code peer} must be disconnected and banned. */
    public boolean belowDisconnect(NodeId peer) {
        return score(peer) < settings.disconnectThreshold();
    }

    /** Decays every counter to {@code now} and drops the records with nothing left to remember. */
    public void decay(long now) {
        if (decayedAt == Long.MIN_VALUE) {
            decayedAt = now;
            return;
        }
        double factor = Math.pow(0.5, (now - decayedAt) / (double) settings.halfLife().toMillis());
        decayedAt = now;
        long retain = settings.retain().toMillis();
        for (Iterator<Record> it = records.values().iterator(); it.hasNext(); ) {
            Record r = it.next();
            r.firstDeliveries = decayed(r.firstDeliveries, factor);
            r.invalid = decayed(r.invalid, factor);
            r.broken = decayed(r.broken, factor);
            r.behaviour = decayed(r.behaviour, factor);
            if (!r.connected && (now - r.leftAt > retain || r.empty())) {
                it.remove();
            }
        }
    }

    /** Every record as a {@link PeerScore}; {@code banned} says which peers are banned. */
    public List<PeerScore> snapshot(java.util.function.Predicate<NodeId> banned) {
        List<PeerScore> out = new ArrayList<>(records.size());
        records.forEach((id, r) -> {
            double s = score(r);
            out.add(new PeerScore(id, s, reputation(s, banned.test(id)), r.connected, r.firstDeliveries, r.invalid,
                    r.broken, r.behaviour, colocated(r)));
        });
        return out;
    }

    /** Records kept. */
    public int size() {
        return records.size();
    }

    private static double decayed(double v, double factor) {
        double d = v * factor;
        return d < ZERO ? 0 : d;
    }

    private int colocated(Record r) {
        return r.address == null ? 0 : perAddress.getOrDefault(r.address, 0);
    }

    private double score(Record r) {
        double s = r.firstDeliveries * settings.firstDeliveryWeight()
                + r.invalid * r.invalid * settings.invalidMessageWeight()
                + r.broken * r.broken * settings.brokenPromiseWeight()
                + r.behaviour * r.behaviour * settings.behaviourWeight();
        int surplus = colocated(r) - settings.colocationThreshold();
        return surplus > 0 ? s + (double) surplus * surplus * settings.colocationWeight() : s;
    }

    private Record record(NodeId peer) {
        Record r = records.get(peer);
        if (r == null) {
            if (records.size() >= capacity) {
                evictOne();
            }
            r = new Record();
            records.put(peer, r);
        }
        return r;
    }

    /** Drops the least recently touched departed peer; connected peers are never dropped. */
    private void evictOne() {
        for (Iterator<Record> it = records.values().iterator(); it.hasNext(); ) {
            if (!it.next().connected) {
                it.remove();
                return;
            }
        }
    }

    /** One peer's counters. */
    private static final class Record {
        boolean connected;
        String address;
        long leftAt;
        double firstDeliveries;
        double invalid;
        double broken;
        double behaviour;

        boolean empty() {
            return firstDeliveries == 0 && invalid == 0 && broken == 0 && behaviour == 0;
        }
    }
}
