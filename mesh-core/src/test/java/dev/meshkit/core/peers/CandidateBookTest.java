package dev.meshkit.core.peers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshkit.api.Backoff;
import dev.meshkit.api.Endpoint;
import dev.meshkit.api.NodeId;
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
    void refusedEndpointsAreNeverKeptWhateverTheSpelling() {
        CandidateBook book = new CandidateBook(10, backoff, self::equals);
        assertFalse(book.offer(Endpoint.parse("ws://localhost:9000/"), "test"));
        assertFalse(book.offer(Endpoint.parse("WS://[::ffff:127.0.0.1]:9000"), "test"));
        assertEquals(0, book.size());
    }

    @Test
    void onePeersListsHoldOnlyTheirShareOfTheBook() {
        CandidateBook book = new CandidateBook(1000, backoff, e -> false);
        for (int i = 0; i < 100; i++) {
            book.offerLearned(ep(10_000 + i), "liar");
        }
        assertEquals(CandidateBook.MAX_PER_SOURCE, book.size());
        assertTrue(book.offerLearned(ep(20_000), "honest"), "another peer still has room");
        assertTrue(book.get(ep(20_000)).learned());
        book.forget(ep(10_000));
        assertTrue(book.offerLearned(ep(30_000), "liar"), "forgetting one of its entries frees a place");
        assertFalse(book.offerLearned(ep(30_001), "liar"));
        assertTrue(book.offer(ep(30_002), "connect"), "the application is not capped");
        assertFalse(book.get(ep(30_002)).learned());
    }

    @Test
    void capacityIsABoundAndTheOldestNonSeedMakesRoom() {
        CandidateBook book = new CandidateBook(3, backoff, e -> false);
        book.offerSeed(ep(1));
        book.offer(ep(2), "t");
        book.offer(ep(3), "t");
        assertTrue(book.offer(ep(4), "t"));
        assertEquals(3, book.size());
        assertNotNull(book.get(ep(1)), "a seed is never evicted");
        assertNull(book.get(ep(2)));
    }

    @Test
    void unreachableEndpointsAreForgottenAfterMaxAttemptsButSeedsAreNot() {
        CandidateBook book = new CandidateBook(10, backoff, e -> false);
        book.offer(ep(1), "t");
        book.offerSeed(ep(2));
        assertTrue(book.failed(ep(1), 0, random) >= 0);
        assertTrue(book.failed(ep(1), 0, random) >= 0);
        assertEquals(-1, book.failed(ep(1), 0, random));
        assertNull(book.get(ep(1)));
        for (int i = 0; i < 100; i++) {
            long d = book.failed(ep(2), 0, random);
            assertTrue(d >= 0 && d <= 10_000, "a seed is retried at most at the cap");
        }
        assertNotNull(book.get(ep(2)));
    }

    @Test
    void reofferingDoesNotResetBackoff() {
        CandidateBook book = new CandidateBook(10, backoff, e -> false);
        book.offer(ep(1), "t");
        book.failed(ep(1), 0, random);
        book.offer(ep(1), "t");
        assertEquals(1, book.get(ep(1)).failures());
    }

    @Test
    void aVerifiedHandshakeRecordsTheIdButKeepsTheFailureCount() {
        CandidateBook book = new CandidateBook(10, backoff, e -> false);
        NodeId id = NodeId.ofPublicKey(new byte[] {1});
        book.offer(ep(1), "t");
        book.failed(ep(1), 0, random);
        book.verified(ep(1), id);
        assertEquals(id, book.get(ep(1)).verifiedId());
        assertEquals(1, book.get(ep(1)).failures());
        book.lost(ep(1), 0, random);
        assertEquals(0, book.get(ep(1)).failures(), "only a link that lasted clears the count");
    }

    @Test
    void aFailedEndpointWaitsItsDelayBeforeItIsDialableAgain() {
        CandidateBook book = new CandidateBook(10, backoff, e -> false);
        book.offer(ep(1), "t");
        long delay = book.failed(ep(1), 1000, random);
        assertTrue(delay >= 0 && delay <= 200);
        assertEquals(delay == 0 ? 1 : 0, book.dialable(1000, 10, c -> false, random).size());
        assertEquals(1, book.dialable(1000 + delay, 10, c -> false, random).size());
    }

    @Test
    void dialableHonoursMaxAndExclusions() {
        CandidateBook book = new CandidateBook(100, backoff, e -> false);
        for (int p = 1; p <= 50; p++) {
            book.offer(ep(p), "t");
        }
        assertEquals(8, book.dialable(0, 8, c -> false, random).size());
        assertEquals(25, book.dialable(0, 100, c -> c.endpoint().port() % 2 == 0, random).size());
    }
}
