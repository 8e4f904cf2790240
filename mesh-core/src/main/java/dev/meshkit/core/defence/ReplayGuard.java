package dev.meshkit.core.defence;

import dev.meshkit.api.MessageId;
import dev.meshkit.api.NodeId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Makes sure no message is delivered twice, however late a copy comes back.
 *
 * <p>A message is accepted only inside a window of its origin's timestamp (so old ones are refused
 * outright), and the id of every accepted message is kept for as long as its timestamp stays inside
 * that window: retention follows the timestamp, not the arrival, so no id can be forgotten while its
 * message could still be accepted. The ids are bounded; when too many arrive, those with the oldest
 * timestamps are forgotten and the window's lower edge (the floor) moves past them, so their messages
 * are refused as stale from then on instead of coming back.
 *
 * <p>Each origin also has a window of its most recent sequence numbers, which refuses a second
 * message with a used number (an origin that signs two messages with one number, or a replay that
 * changed nothing but what the signature does not cover). A sequence number far ahead only moves that
 * origin's window: numbers that fall below it are judged by the ids alone, so one huge number cannot
 * make an origin's later messages look replayed.
 *
 * <p>Thread-safe: transport threads ask {@link #seen} to drop known copies before decoding them.
 */
public final class ReplayGuard {
    /** What to do with a message. */
    public enum Verdict {
        /** Not seen: accept. */
        NEW,
        /** Its id was seen: a copy. */
        DUPLICATE,
        /** Stamped outside the window (or before the floor). */
        STALE,
        /** Its origin already used its sequence number for another message. */
        REPLAY
    }

    private static final long BUCKET_MILLIS = 1000;

    private final int capacity;
    private final long maxAgeMillis;
    private final long maxSkewMillis;
    private final int sequenceWindow;
    private final Set<MessageId> ids;
    /**
     * Ids by the second of their timestamp, in a ring with a slot for every second of the window: a
     * slot reused for a later second held only ids whose messages can no longer be accepted.
     */
    private final long[] slotSecond;
    private final List<List<MessageId>> slotIds;
    private final Map<NodeId, SequenceWindow> origins;
    private long floor = Long.MIN_VALUE;

    /**
     * Creates an empty guard.
     *
     * @param capacity       ids remembered at most
     * @param maxAgeMillis   oldest timestamp accepted, before now
     * @param maxSkewMillis  latest timestamp accepted, after now
     * @param sequenceWindow sequence numbers remembered per origin
     * @param maxOrigins     origins whose sequence numbers are tracked at most (least recent forgotten)
     */
    public ReplayGuard(int capacity, long maxAgeMillis, long maxSkewMillis, int sequenceWindow, int maxOrigins) {
        if (capacity < 1 || maxAgeMillis < 1 || maxSkewMillis < 0 || sequenceWindow < 1 || maxOrigins < 1) {
            throw new IllegalArgumentException("replay guard bounds must be positive");
        }
        this.capacity = capacity;
        this.maxAgeMillis = maxAgeMillis;
        this.maxSkewMillis = maxSkewMillis;
        this.sequenceWindow = sequenceWindow;
        this.ids = new HashSet<>(Math.min(capacity, 1 << 16) * 4 / 3 + 1);
        int ring = (int) Math.min(Integer.MAX_VALUE - 8, (maxAgeMillis + maxSkewMillis) / BUCKET_MILLIS + 2);
        this.slotSecond = new long[ring];
        Arrays.fill(slotSecond, Long.MIN_VALUE);
        this.slotIds = new ArrayList<>(ring);
        for (int i = 0; i < ring; i++) {
            slotIds.add(new ArrayList<>());
        }
        this.origins = new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<NodeId, SequenceWindow> eldest) {
                return size() > maxOrigins;
            }
        };
    }

    /** True if a message with this id was accepted and is remembered. */
    public synchronized boolean seen(MessageId id) {
        return ids.contains(id);
    }

    /**
     * What a message gets before its signature is verified, without recording it: {@link Verdict#STALE},
     * {@link Verdict#DUPLICATE} or {@link Verdict#NEW}. A reused sequence number is found by
     * {@link #accept}: only a message its origin signed can reuse one, so checking it earlier would
     * spare no verification an attacker could make the node do.
     *
     * @param now wall-clock milliseconds
     */
    public synchronized Verdict check(MessageId id, long timestamp, long now) {
        if (stale(timestamp, now)) {
            return Verdict.STALE;
        }
        return ids.contains(id) ? Verdict.DUPLICATE : Verdict.NEW;
    }

    /**
     * Records a verified message if it is {@link Verdict#NEW}; returns the verdict.
     *
     * @param now wall-clock milliseconds
     */
    public synchronized Verdict accept(MessageId id, NodeId origin, long timestamp, long sequence, long now) {
        if (stale(timestamp, now)) {
            return Verdict.STALE;
        }
        if (!ids.add(id)) {
            return Verdict.DUPLICATE;
        }
        SequenceWindow w = origins.get(origin);
        if (w == null) {
            w = new SequenceWindow(sequenceWindow);
            origins.put(origin, w);
        } else if (w.used(sequence)) {
            ids.remove(id);
            return Verdict.REPLAY;
        }
        w.use(sequence);
        long second = Math.floorDiv(timestamp, BUCKET_MILLIS);
        int slot = (int) Math.floorMod(second, (long) slotSecond.length);
        if (slotSecond[slot] != second) {
            forget(slot);
            slotSecond[slot] = second;
        }
        slotIds.get(slot).add(id);
        while (ids.size() > capacity) {
            forgetOldest();
        }
        return Verdict.NEW;
    }

    private boolean stale(long timestamp, long now) {
        return timestamp < now - maxAgeMillis || timestamp > now + maxSkewMillis || timestamp < floor;
    }

    private void forget(int slot) {
        List<MessageId> held = slotIds.get(slot);
        for (MessageId m : held) {
            ids.remove(m);
        }
        held.clear();
    }

    /** Forgets the ids of the oldest second held, and refuses what is stamped up to its end. */
    private void forgetOldest() {
        int oldest = -1;
        for (int i = 0; i < slotSecond.length; i++) {
            if (!slotIds.get(i).isEmpty() && (oldest < 0 || slotSecond[i] < slotSecond[oldest])) {
                oldest = i;
            }
        }
        floor = Math.max(floor, (slotSecond[oldest] + 1) * BUCKET_MILLIS);
        forget(oldest);
    }

    /** Records this node's own message, so copies that come back are duplicates. */
    public void own(MessageId id, NodeId origin, long timestamp, long sequence) {
        accept(id, origin, timestamp, sequence, timestamp);
    }

    /** Ids currently remembered. */
    public synchronized int size() {
        return ids.size();
    }

    /** Origins whose sequence numbers are tracked. */
    public synchronized int origins() {
        return origins.size();
    }

    /** Messages stamped before this are refused because their ids were forgotten early. */
    public synchronized long floor() {
        return floor;
    }

    /**
     * The most recent {@code size} sequence numbers of one origin, as a bitmap ending at the highest
     * number seen.
     */
    private static final class SequenceWindow {
        private final long[] bits;
        private final int size;
        private long highest = Long.MIN_VALUE;

        SequenceWindow(int size) {
            this.size = size;
            this.bits = new long[(size + 63) / 64];
        }

        boolean used(long seq) {
            long below = highest - seq; // negative when ahead, or when the difference overflows
            if (highest == Long.MIN_VALUE || below < 0 || below >= size) {
                return false; // ahead of the window, or below it: the ids decide
            }
            return bit(seq);
        }

        void use(long seq) {
            if (highest == Long.MIN_VALUE || seq > highest) {
                long ahead = seq - highest; // negative if the difference overflows
                if (highest == Long.MIN_VALUE || ahead < 0 || ahead >= size) {
                    Arrays.fill(bits, 0);
                } else {
                    for (long s = highest + 1; s < seq; s++) {
                        clear(s);
                    }
                }
                highest = seq;
            } else if (highest - seq < 0 || highest - seq >= size) {
                return;
            }
            int i = slot(seq);
            bits[i >>> 6] |= 1L << (i & 63);
        }

        private boolean bit(long seq) {
            int i = slot(seq);
            return (bits[i >>> 6] & (1L << (i & 63))) != 0;
        }

        private void clear(long seq) {
            int i = slot(seq);
            bits[i >>> 6] &= ~(1L << (i & 63));
        }

        private int slot(long seq) {
            return (int) Math.floorMod(seq, (long) size);
        }
    }
}
