package dev.meshkit.core.defence;

import static dev.meshkit.core.defence.RateLimiter.Verdict.ALLOWED;
import static dev.meshkit.core.defence.RateLimiter.Verdict.BANNED;
import static dev.meshkit.core.defence.RateLimiter.Verdict.LIMITED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RateLimiterTest {
    private static final long BAN = 300_000;

    /** Ten a minute, bursts of five, banned after five seconds with refusals. */
    private final RateLimiter<String> limiter = new RateLimiter<>(100, 10 / 60.0, 5, 5, BAN);

    @Test
    void aBurstIsAllowedThenTheRateRefillsIt() {
        for (int i = 0; i < 5; i++) {
            assertEquals(ALLOWED, limiter.acquire("a", 0));
        }
        assertEquals(LIMITED, limiter.acquire("a", 0));
        assertEquals(ALLOWED, limiter.acquire("b", 0), "keys are limited apart");
        assertEquals(LIMITED, limiter.acquire("a", 5_999), "one permit takes six seconds");
        assertEquals(ALLOWED, limiter.acquire("a", 6_000));
        assertEquals(LIMITED, limiter.acquire("a", 6_000));
    }

    @Test
    void aKeyThatKeepsPushingIsBannedForAWhile() {
        for (int i = 0; i < 5; i++) {
            limiter.acquire("a", 0);
        }
        for (int i = 0; i < 1000; i++) {
            assertEquals(LIMITED, limiter.acquire("a", 1), "one second's refusals are one violation");
        }
        for (int i = 1; i < 4; i++) {
            assertEquals(LIMITED, limiter.acquire("a", i * 1000 + 1));
        }
        assertEquals(BANNED, limiter.acquire("a", 4001));
        assertEquals(BANNED, limiter.acquire("a", 4001 + BAN - 1), "refill does not lift a ban");
        assertEquals(ALLOWED, limiter.acquire("a", 4001 + BAN));
    }

    @Test
    void violationsAreForgivenAfterAQuietTime() {
        for (int i = 0; i < 5; i++) {
            limiter.acquire("a", 0);
        }
        for (int i = 0; i < 4; i++) {
            assertEquals(LIMITED, limiter.acquire("a", i * 1000));
        }
        long later = 3000 + BAN + 1;
        for (int i = 0; i < 5; i++) {
            assertEquals(ALLOWED, limiter.acquire("a", later));
        }
        assertEquals(LIMITED, limiter.acquire("a", later), "counting starts again");
    }

    @Test
    void freshKeysDoNotPushOutABanAndTheTableStaysBounded() {
        for (int second = 0; second < 5; second++) {
            for (int i = 0; i < 10; i++) {
                limiter.acquire("a", second * 1000L);
            }
        }
        assertTrue(limiter.banned("a", 9000));
        for (int i = 0; i < 1_000; i++) {
            limiter.acquire("k" + i, 9001);
        }
        assertEquals(100, limiter.tracked());
        assertTrue(limiter.banned("a", 9001));
        assertEquals(1, limiter.bans());
    }

    @Test
    void limitsMustBePositive() {
        assertThrows(IllegalArgumentException.class, () -> new RateLimiter<String>(0, 1, 1, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> new RateLimiter<String>(1, 0, 1, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> new RateLimiter<String>(1, Double.NaN, 1, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> new RateLimiter<String>(1, 1, 0, 1, 1));
    }
}
