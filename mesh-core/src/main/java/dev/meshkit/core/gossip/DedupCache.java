package dev.meshkit.core.gossip;

import dev.meshkit.api.MessageId;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Message ids seen recently: at most {@code capacity} of them, each for at most {@code ttlMillis}.
 * Ids are kept in arrival order, so both the size bound and the expiry evict from the head in O(1).
 * Thread-safe: the event loop records ids, and transport threads look them up to drop known copies
 * before decoding them.
 */
public final class DedupCache {
    private final int capacity;
    private final long ttlMillis;
    private final LinkedHashMap<MessageId, Long> seenAt;

    /** Creates an empty cache. */
    public DedupCache(int capacity, long ttlMillis) {
        if (capacity < 1 || ttlMillis < 1) {
            throw new IllegalArgumentException("capacity and ttl must be positive");
        }
        this.capacity = capacity;
        this.ttlMillis = ttlMillis;
        this.seenAt = new LinkedHashMap<>(Math.min(capacity, 1 << 16) * 4 / 3 + 1);
    }

    /**
     * Records {@code id} as seen at {@code now}. Returns false if it was already seen (and not
     * expired), true if it is new.
     */
    public synchronized boolean add(MessageId id, long now) {
        evictExpired(now);
        Long at = seenAt.get(id);
        if (at != null) {
            return false;
        }
        seenAt.put(id, now);
        if (seenAt.size() > capacity) {
            Iterator<Map.Entry<MessageId, Long>> it = seenAt.entrySet().iterator();
            it.next();
            it.remove();
        }
        return true;
    }

    /** True if {@code id} was seen and has not expired. */
    public synchronized boolean contains(MessageId id, long now) {
        Long at = seenAt.get(id);
        return at != null && now - at < ttlMillis;
    }

    /** Ids currently remembered. */
    public synchronized int size() {
        return seenAt.size();
    }

    private void evictExpired(long now) {
        Iterator<Map.Entry<MessageId, Long>> it = seenAt.entrySet().iterator();
        while (it.hasNext()) {
            if (now - it.next().getValue() < ttlMillis) {
                return;
            }
            it.remove();
        }
    }
}
