package dev.meshkit.api;

/**
 * A rate limit as a token bucket: {@code perSecond} permits a second on average, and up to
 * {@code burst} at once after a quiet time.
 *
 * @param perSecond average permits a second
 * @param burst     permits usable at once
 */
public record Rate(double perSecond, int burst) {
    /** Checks both are positive. */
    public Rate {
        if (!(perSecond > 0) || Double.isInfinite(perSecond) || burst < 1) {
            throw new IllegalArgumentException("a rate needs a positive, finite rate and a burst of at least 1");
        }
    }

    /** {@code n} a second, bursts of {@code n}. */
    public static Rate perSecond(double n) {
        return new Rate(n, (int) Math.max(1, Math.ceil(n)));
    }

    /** {@code n} a minute, bursts of {@code n}. */
    public static Rate perMinute(double n) {
        return new Rate(n / 60.0, (int) Math.max(1, Math.ceil(n)));
    }

    @Override
    public String toString() {
        return perSecond + " a second, bursts of " + burst;
    }

    /** The same average rate with another burst. */
    public Rate withBurst(int permits) {
        return new Rate(perSecond, permits);
    }
}
