package dev.meshkit.core.gossip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshkit.api.MessageId;
import org.junit.jupiter.api.Test;

class DedupCacheTest {
    private static MessageId id(int n) {
        return MessageId.parse(String.format("%032x", n));
    }

    @Test
    void aSecondCopyIsADuplicate() {
        DedupCache c = new DedupCache(100, 1000);
        assertTrue(c.add(id(1), 0));
        assertFalse(c.add(id(1), 10));
        assertTrue(c.contains(id(1), 10));
        assertFalse(c.contains(id(2), 10));
    }

    @Test
    void idsExpireAfterTheTtl() {
        DedupCache c = new DedupCache(100, 1000);
        c.add(id(1), 0);
        assertTrue(c.contains(id(1), 999));
        assertFalse(c.contains(id(1), 1000));
        assertTrue(c.add(id(1), 1000), "an expired id counts as new");
    }

    @Test
    void sizeNeverExceedsCapacityAndOldestGoFirst() {
        DedupCache c = new DedupCache(16, 1_000_000);
        for (int i = 0; i < 1000; i++) {
            c.add(id(i), i);
            assertTrue(c.size() <= 16);
        }
        assertFalse(c.contains(id(983), 1000));
        assertTrue(c.contains(id(984), 1000));
        assertTrue(c.contains(id(999), 1000));
    }

    @Test
    void expiredEntriesAreReclaimedOnInsert() {
        DedupCache c = new DedupCache(1000, 100);
        for (int i = 0; i < 500; i++) {
            c.add(id(i), 0);
        }
        c.add(id(10_000), 200);
        assertEquals(1, c.size());
    }
}
