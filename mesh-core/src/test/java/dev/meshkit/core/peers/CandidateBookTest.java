package dev.meshkit.core.peers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshkit.api.Backoff;
import dev.meshkit.api.Endpoint;
import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class CandidateBookTest {
    private final Endpoint self = Endpoint.parse("ws://127.0.0.1:9000");
    private final SplittableRandom random = new SplittableRandom(1);
    private final Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(10), 3);

    private static Endpoint ep(int port) {
        return Endpoint.parse("ws://127.0.0.1:" + port);
    }

    @Test
    void ownEndpointsAreNeverKeptWhateverTheSpelling() {
        CandidateBook book = new CandidateBook(10, backoff, self::equals);
        assertFalse(book.offer(Endpoint.parse("ws://localhost:9000/"), null, "test"));
        assertFalse(book.offer(Endpoint.parse("WS://[::ffff:127.0.0.1]:9000"), null, "test"));
        assertEquals(0, book.size());
    }

    @Test
    void capacityIsABoundAndTheWorstEntryMakesRoom() {
        CandidateBook book = new CandidateBook(3, backoff, e -> false);
        book.offer(ep(1), null, "t");
        book.offer(ep(2), null, "t");
        book.offer(ep(3), null, "t");
        book.failed(ep(2), 0, random);
        assertTrue(book.offer(ep(4), null, "t"));
        assertEquals(3, book.size());
        assertNull(book.get(ep(2)), "the entry with failures is evicted first");
    }

    @Test
    void unreachableEndpointsAreForgottenAfterMaxAttempts() {
        CandidateBook book = new CandidateBook(10, backoff, e -> false);
        book.offer(ep(1), null, "t");
        assertTrue(book.failed(ep(1), 0, random) >= 0);
        assertTrue(book.failed(ep(1), 0, random) >= 0);
        assertEquals(-1, book.failed(ep(1), 0, random));
        assertNull(book.get(ep(1)));
    }

    @Test
    void reofferingDoesNotResetBackoff() {
        CandidateBook book = new CandidateBook(10, backoff, e -> false);
        book.offer(ep(1), null, "t");
        book.failed(ep(1), 0, random);
        book.offer(ep(1), null, "t");
        assertEquals(1, book.get(ep(1)).failures());
    }

    @Test
    void aFailedEndpointWaitsItsDelayBeforeItIsDialableAgain() {
        CandidateBook book = new CandidateBook(10, backoff, e -> false);
        book.offer(ep(1), null, "t");
        long delay = book.failed(ep(1), 1000, random);
        assertTrue(delay >= 0 && delay <= 100);
        assertEquals(delay == 0 ? 1 : 0, book.dialable(1000, 10, c -> false, random).size());
        assertEquals(1, book.dialable(1000 + delay, 10, c -> false, random).size());
        book.succeeded(ep(1), null);
        assertEquals(0, book.get(ep(1)).failures());
    }

    @Test
    void dialableHonoursMaxAndExclusions() {
        CandidateBook book = new CandidateBook(100, backoff, e -> false);
        for (int p = 1; p <= 50; p++) {
            book.offer(ep(p), null, "t");
        }
        assertEquals(8, book.dialable(0, 8, c -> false, random).size());
        assertEquals(25, book.dialable(0, 100, c -> c.endpoint().port() % 2 == 0, random).size());
    }
}
