package dev.meshkit.core.defence;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A token bucket per key (an address, a node id): {@code rate} permits a second on average, bursts
 * of up to {@code burst}. A key that keeps asking past its limit collects violations, and after
 * {@code violationsBeforeBan} of them within a quiet period it is banned for a while. The table is
 * bounded, the least recently used key forgotten first; bans live in their own bounded table, so a
 * stream of fresh keys cannot push a ban out along with the buckets. Use on the event loop only.
 *
 * @param <K> what is limited
 */
public final class RateLimiter<K> {
    /** What a request gets. */
    public enum Verdict {
        /** Within the limit. */
        ALLOWED,
        /** Over the limit: refuse this one. */
        LIMITED,
        /** Banned: refuse everything from this key for a while. */
        BANNED
    }

    private static final long VIOLATION_MILLIS = 1000;

    private final double perMilli;
    private final double burst;
    private final int violationsBeforeBan;
    private final long forgiveMillis;
    private final Bans<K> bans;
    private final Map<K, Bucket> buckets;

    /**
     * Creates the limiter.
     *
     * @param capacity            keys tracked at most (and bans kept at most)
     * @param rate                permits a second, on average
     * @param burst               permits a key may use at once
     * @param violationsBeforeBan seconds with refusals that make a ban
     * @param banMillis           how long a ban lasts; violations are forgiven after as long a quiet time
     */
    public RateLimiter(int capacity, double rate, int burst, int violationsBeforeBan, long banMillis) {
        if (capacity < 1 || !(rate > 0) || burst < 1 || violationsBeforeBan < 1 || banMillis < 1) {
            throw new IllegalArgumentException("rate limits must be positive");
        }
        this.perMilli = rate / 1000.0;
        this.burst = burst;
        this.violationsBeforeBan = violationsBeforeBan;
        this.forgiveMillis = banMillis;
        this.bans = new Bans<>(capacity, banMillis);
        this.buckets = new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<K, Bucket> eldest) {
                return size() > capacity;
            }
        };
    }

    /** Takes one permit for {@code key} at {@code now} (monotonic milliseconds). */
    public Verdict acquire(K key, long now) {
        if (bans.size() > 0 && bans.banned(key, now)) {
            return Verdict.BANNED;
        }
        Bucket b = buckets.get(key);
        if (b == null) {
            b = new Bucket(burst, now);
            buckets.put(key, b);
        }
        b.tokens = Math.min(burst, b.tokens + (now - b.refilled) * perMilli);
        b.refilled = now;
        if (b.tokens >= 1) {
            b.tokens -= 1;
            return Verdict.ALLOWED;
        }
        if (now - b.lastViolation > forgiveMillis) {
            b.violations = 0;
        }
        if (b.violations > 0 && now - b.lastViolation < VIOLATION_MILLIS) {
            return Verdict.LIMITED; // the same second's violation
        }
        b.lastViolation = now;
        if (++b.violations >= violationsBeforeBan) {
            buckets.remove(key);
            bans.ban(key, now);
            return Verdict.BANNED;
        }
        return Verdict.LIMITED;
    }

    /** Whether {@code key} is banned at {@code now}. */
    public boolean banned(K key, long now) {
        return bans.banned(key, now);
    }

    /** Keys with a bucket. */
    public int tracked() {
        return buckets.size();
    }

    /** Bans in force or not yet found expired. */
    public int bans() {
        return bans.size();
    }

    /** One key's tokens and violations. */
    private static final class Bucket {
        double tokens;
        long refilled;
        int violations;
        long lastViolation;

        Bucket(double tokens, long now) {
            this.tokens = tokens;
            this.refilled = now;
            this.lastViolation = now;
        }
    }
}
