package dev.meshkit.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BackoffTest {
    private final Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(5), 8);

    @Test
    void boundDoublesUntilTheCap() {
        assertEquals(100, backoff.boundMillis(0));
        assertEquals(200, backoff.boundMillis(1));
        assertEquals(400, backoff.boundMillis(2));
        assertEquals(3200, backoff.boundMillis(5));
        assertEquals(5000, backoff.boundMillis(6));
        assertEquals(5000, backoff.boundMillis(1000));
        assertEquals(5000, backoff.boundMillis(Integer.MAX_VALUE));
    }

    @Test
    void fullJitterSpreadsOverTheWholeRange() {
        SplittableRandom r = new SplittableRandom(7);
        long min = Long.MAX_VALUE;
        long max = 0;
        for (int i = 0; i < 10_000; i++) {
            long d = backoff.delayMillis(3, r.nextDouble());
            min = Math.min(min, d);
            max = Math.max(max, d);
            assertTrue(d >= 0 && d <= 800, "delay " + d + " outside [0, 800]");
        }
        assertTrue(min < 40, "full jitter should reach near 0, got " + min);
        assertTrue(max > 760, "full jitter should reach near the bound, got " + max);
    }

    @Test
    void invalidSettingsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new Backoff(Duration.ZERO, Duration.ofSeconds(1), 1));
        assertThrows(IllegalArgumentException.class,
                () -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1), 1));
        assertThrows(IllegalArgumentException.class,
                () -> new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(1), 0));
    }
}
