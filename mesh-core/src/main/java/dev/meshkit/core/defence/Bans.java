package dev.meshkit.core.defence;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Keys (node ids, addresses) this node will not deal with for a while, because they broke the
 * protocol or its limits. Bounded: beyond its capacity the oldest ban is lifted first. Use on the
 * event loop only.
 *
 * @param <K> what is banned
 */
public final class Bans<K> {
    private final int capacity;
    private final long durationMillis;
    private final Map<K, Long> until = new LinkedHashMap<>();

    /** Keeps at most {@code capacity} bans, each for {@code durationMillis} on the monotonic clock. */
    public Bans(int capacity, long durationMillis) {
        this.capacity = capacity;
        this.durationMillis = durationMillis;
    }

    /** Bans {@code id} from {@code now} on, or renews its ban. */
    public void ban(K id, long now) {
        until.remove(id);
        if (until.size() >= capacity) {
            Iterator<K> oldest = until.keySet().iterator();
            oldest.next();
            oldest.remove();
        }
        until.put(id, now + durationMillis);
    }

    /** Whether {@code id} is banned at {@code now}; an expired ban is lifted. */
    public boolean banned(K id, long now) {
        Long end = until.get(id);
        if (end == null) {
            return false;
        }
        if (now - end >= 0) {
            until.remove(id);
            return false;
        }
        return true;
    }

    /** Bans in force or not yet found expired. */
    public int size() {
        return until.size();
    }
}
