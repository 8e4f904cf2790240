package dev.meshkit.testkit.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class EventQueueTest {

    /** What a task was queued with, to compute the expected order independently of the heap. */
    private record Entry(long time, int order, Task task) {
    }

    @Test
    void pollsInTimeThenInsertionOrderDespiteCancellationsAndClosedOwners() {
        SplittableRandom rnd = new SplittableRandom(3);
        EventQueue q = new EventQueue(new Object());
        TaskOwner[] owners = {new TaskOwner("x"), new TaskOwner("y"), new TaskOwner("z")};
        List<Entry> entries = new ArrayList<>();
        for (int i = 0; i < 50_000; i++) {
            TaskOwner owner = rnd.nextInt(4) == 0 ? null : owners[rnd.nextInt(owners.length)];
            long time = rnd.nextInt(500); // many ties
            entries.add(new Entry(time, i, q.add(time, () -> { }, owner)));
        }
        for (int i = 0; i < 20_000; i++) {
            entries.get(rnd.nextInt(entries.size())).task().cancel();
        }
        q.close(owners[1]);
        List<Entry> expected = entries.stream()
                .filter(e -> e.task().isPending())
                .sorted(Comparator.comparingLong(Entry::time).thenComparingInt(Entry::order))
                .toList();
        assertEquals(expected.size(), q.liveSize());
        assertEquals(0, owners[1].pending());

        for (Entry e : expected) {
            assertEquals(e.time(), q.nextTime());
            assertTrue(e.task() == q.poll(), "wrong task at " + e);
            assertFalse(e.task().isPending());
        }
        assertNull(q.poll());
        assertEquals(EventQueue.EMPTY, q.nextTime());
        assertEquals(0, q.liveSize());
        assertEquals(0, owners[0].pending());
    }

    @Test
    void tasksForAClosedOwnerAreRefused() {
        EventQueue q = new EventQueue(new Object());
        TaskOwner o = new TaskOwner("o");
        q.close(o);
        Task t = q.add(5, () -> { }, o);
        assertFalse(t.isPending());
        assertEquals(0, q.heapSize());
    }

    @Test
    void derivedSeedsDifferByLabelAndSeed() {
        assertEquals(Seeds.derive(1, "a"), Seeds.derive(1, "a"));
        assertTrue(Seeds.derive(1, "a") != Seeds.derive(1, "b"));
        assertTrue(Seeds.derive(1, "a") != Seeds.derive(2, "a"));
    }
}
