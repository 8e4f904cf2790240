package dev.meshkit.testkit;

import static java.time.Duration.ZERO;
import static java.time.Duration.ofHours;
import static java.time.Duration.ofMillis;
import static java.time.Duration.ofMinutes;
import static java.time.Duration.ofSeconds;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshkit.api.spi.Cancellable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class SimulationTest {

    @Test
    void eventsRunInTimeOrderThenInsertionOrder() {
        Simulation sim = new Simulation(1);
        List<String> order = new ArrayList<>();
        sim.schedule(ofMillis(30), () -> order.add("30"));
        sim.schedule(ofMillis(10), () -> order.add("10a"));
        sim.schedule(ofMillis(10), () -> {
            order.add("10b");
            // Queued at the current time while it runs: after everything already due now.
            sim.schedule(ZERO, () -> order.add("10-nested"));
        });
        sim.schedule(ofMillis(20), () -> order.add("20"));
        sim.schedule(ofMillis(10), () -> order.add("10c"));
        sim.schedule(ZERO, () -> order.add("0"));

        sim.runFor(ofSeconds(1));

        assertEquals(List.of("0", "10a", "10b", "10c", "10-nested", "20", "30"), order);
    }

    @Test
    void ordersTasksOfDifferentRuntimesByInsertionAtTheSameTime() {
        Simulation sim = new Simulation(1);
        SimRuntime a = sim.newRuntime("a");
        SimRuntime b = sim.newRuntime("b");
        List<String> order = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            int n = i;
            a.execute(() -> order.add("a" + n));
            b.execute(() -> order.add("b" + n));
            b.schedule(0, () -> order.add("b0-" + n));
        }
        sim.runUntilIdle(ofSeconds(1));
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            expected.add("a" + i);
            expected.add("b" + i);
            expected.add("b0-" + i);
        }
        assertEquals(expected, order);
    }

    @Test
    void clockStartsAtTheEpochAndMovesOnlyWhenRun() {
        Simulation sim = new Simulation(7);
        assertEquals(1_700_000_000_000L, sim.nowMillis());
        assertEquals(Simulation.DEFAULT_EPOCH, sim.now());
        AtomicReference<Long> seen = new AtomicReference<>();
        sim.schedule(ofMillis(250), () -> seen.set(sim.nowMillis()));
        assertEquals(1_700_000_000_000L, sim.nowMillis());

        sim.runFor(ofSeconds(2));

        assertEquals(1_700_000_000_250L, seen.get());
        assertEquals(1_700_000_002_000L, sim.nowMillis());
        assertEquals(ofSeconds(2), sim.elapsed());

        Simulation other = new Simulation(7, Instant.parse("2030-01-01T00:00:00Z"));
        assertEquals(Instant.parse("2030-01-01T00:00:00Z"), other.now());
    }

    @Test
    void eventsDueExactlyAtTheEndOfRunForRun() {
        Simulation sim = new Simulation(1);
        AtomicInteger ran = new AtomicInteger();
        sim.schedule(ofMillis(100), ran::incrementAndGet);
        sim.schedule(ofMillis(101), ran::incrementAndGet);
        sim.runFor(ofMillis(100));
        assertEquals(1, ran.get());
        sim.runFor(ofMillis(1));
        assertEquals(2, ran.get());
    }

    @Test
    void runUntilStopsWhenTheConditionHoldsOrAtTheDeadline() {
        Simulation sim = new Simulation(1);
        AtomicInteger ticks = new AtomicInteger();
        SimRuntime r = sim.newRuntime("ticker");
        Runnable[] tick = new Runnable[1];
        tick[0] = () -> {
            ticks.incrementAndGet();
            r.schedule(100, tick[0]);
        };
        r.schedule(100, tick[0]);

        assertTrue(sim.runUntil(() -> ticks.get() == 5, ofSeconds(10)));
        assertEquals(ofMillis(500), sim.elapsed());

        assertFalse(sim.runUntil(() -> ticks.get() == 1_000, ofSeconds(1)));
        assertEquals(ofMillis(1_500), sim.elapsed());
        assertEquals(15, ticks.get());

        // Already true: returns at once without running anything.
        long before = sim.eventsRun();
        assertTrue(sim.runUntil(() -> true, ofSeconds(1)));
        assertEquals(before, sim.eventsRun());
    }

    @Test
    void runUntilChecksTheConditionOnlyBetweenMilliseconds() {
        Simulation sim = new Simulation(1);
        AtomicInteger x = new AtomicInteger();
        // Both at 10 ms: the condition never sees x == 1, the state in the middle of that millisecond.
        sim.schedule(ofMillis(10), x::incrementAndGet);
        sim.schedule(ofMillis(10), x::incrementAndGet);
        assertFalse(sim.runUntil(() -> x.get() == 1, ofSeconds(1)));
        assertEquals(2, x.get());
    }

    @Test
    void stepRunsOneEventAndJumpsTheClock() {
        Simulation sim = new Simulation(1);
        List<String> order = new ArrayList<>();
        sim.schedule(ofSeconds(5), () -> order.add("late"));
        sim.schedule(ofSeconds(1), () -> order.add("early"));

        assertTrue(sim.step());
        assertEquals(List.of("early"), order);
        assertEquals(ofSeconds(1), sim.elapsed());
        assertTrue(sim.step());
        assertEquals(ofSeconds(5), sim.elapsed());
        assertFalse(sim.step());
        assertEquals(List.of("early", "late"), order);
    }

    @Test
    void cancelledTasksNeverRun() {
        Simulation sim = new Simulation(1);
        SimRuntime r = sim.newRuntime("n");
        List<Integer> ran = new ArrayList<>();
        List<Cancellable> handles = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            int n = i;
            handles.add(i % 2 == 0 ? r.schedule(10 + i, () -> ran.add(n)) : sim.schedule(ofMillis(10 + i), () -> ran.add(n)));
        }
        for (int i = 0; i < 100; i += 3) {
            handles.get(i).cancel();
            handles.get(i).cancel(); // idempotent
        }
        assertEquals(100 - 34, sim.pendingEvents());

        sim.runFor(ofSeconds(1));

        for (int i = 0; i < 100; i++) {
            assertEquals(i % 3 != 0, ran.contains(i), "task " + i);
        }
        assertEquals(0, sim.pendingEvents());
        handles.get(1).cancel(); // cancelling a task that already ran is harmless
    }

    @Test
    void cancelledTasksDoNotAccumulate() {
        Simulation sim = new Simulation(1);
        SimRuntime r = sim.newRuntime("n");
        // The common protocol pattern: a long timeout per request, cancelled when the answer comes.
        AtomicInteger fired = new AtomicInteger();
        for (int i = 0; i < 1_000_000; i++) {
            r.schedule(3_600_000, fired::incrementAndGet).cancel();
        }
        assertTrue(sim.heapSize() < 4_096, "heap holds " + sim.heapSize());
        // Mixed with live tasks the heap stays within a constant factor of them.
        for (int i = 0; i < 200_000; i++) {
            r.schedule(3_600_000, fired::incrementAndGet);
            r.schedule(3_600_000, fired::incrementAndGet).cancel();
        }
        assertEquals(200_000, sim.pendingEvents());
        assertTrue(sim.heapSize() <= 2 * 200_000 + 1_024, "heap holds " + sim.heapSize());
        sim.runFor(ofHours(2));
        assertEquals(200_000, fired.get());
    }

    @Test
    void closedRuntimeDropsItsTasksAndOthersCarryOn() {
        Simulation sim = new Simulation(1);
        SimRuntime a = sim.newRuntime("a");
        SimRuntime b = sim.newRuntime("b");
        List<String> ran = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            a.schedule(100 + i, () -> ran.add("a"));
        }
        b.schedule(100, () -> ran.add("b"));
        a.execute(() -> ran.add("a-now"));
        assertEquals(2_002, sim.pendingEvents());

        a.close();
        a.close();

        assertTrue(a.isClosed());
        assertEquals(1, sim.pendingEvents());
        assertEquals(0, a.pendingTasks());
        a.execute(() -> ran.add("a-after"));
        a.schedule(1, () -> ran.add("a-after")).cancel();
        a.workers().execute(() -> ran.add("a-worker"));
        sim.runFor(ofSeconds(10));
        assertEquals(List.of("b"), ran);
        // Purged, not just skipped.
        assertEquals(0, sim.heapSize());
    }

    @Test
    void exceptionsStopTheRunByDefault() {
        Simulation sim = new Simulation(1);
        SimRuntime r = sim.newRuntime("faulty");
        AtomicInteger after = new AtomicInteger();
        r.schedule(50, () -> {
            throw new IllegalStateException("boom");
        });
        r.schedule(50, after::incrementAndGet);

        SimulationException e = assertThrows(SimulationException.class, () -> sim.runFor(ofSeconds(1)));

        assertInstanceOf(IllegalStateException.class, e.getCause());
        assertTrue(e.getMessage().contains("faulty"), e.getMessage());
        assertEquals(ofMillis(50), sim.elapsed());
        assertEquals(0, after.get());
        // The run can go on from where it stopped.
        sim.runFor(ofSeconds(1));
        assertEquals(1, after.get());
    }

    @Test
    void exceptionsCanBeLoggedInstead() {
        Simulation sim = new Simulation(1);
        sim.setFailOnTaskException(false);
        AtomicInteger after = new AtomicInteger();
        sim.schedule(ofMillis(1), () -> {
            throw new IllegalStateException("boom (expected by the test)");
        });
        sim.schedule(ofMillis(2), after::incrementAndGet);
        sim.runFor(ofSeconds(1));
        assertEquals(1, after.get());
        assertEquals(1, sim.taskFailures());
    }

    @Test
    void aTaskCannotRunTheSimulation() {
        Simulation sim = new Simulation(1);
        sim.schedule(ofMillis(1), () -> sim.runFor(ofSeconds(1)));
        SimulationException e = assertThrows(SimulationException.class, () -> sim.runFor(ofSeconds(1)));
        assertInstanceOf(IllegalStateException.class, e.getCause());
    }

    @Test
    void runUntilDoneReturnsTheValueOrFails() {
        Simulation sim = new Simulation(1);
        CompletableFuture<String> f = new CompletableFuture<>();
        sim.schedule(ofSeconds(3), () -> f.complete("done"));
        assertThrows(SimulationException.class, () -> sim.runUntilDone(f, ofSeconds(1)));
        assertEquals("done", sim.runUntilDone(f, ofSeconds(5)));
        assertEquals(ofSeconds(3), sim.elapsed());
    }

    @Test
    void seededRandomSourcesAreReproducible() {
        RandomGenerator a1 = new Simulation(42).random("x");
        RandomGenerator a2 = new Simulation(42).random("x");
        RandomGenerator b = new Simulation(43).random("x");
        RandomGenerator c = new Simulation(42).random("y");
        long[] s1 = new long[8];
        long[] s2 = new long[8];
        long[] s3 = new long[8];
        long[] s4 = new long[8];
        for (int i = 0; i < 8; i++) {
            s1[i] = a1.nextLong();
            s2[i] = a2.nextLong();
            s3[i] = b.nextLong();
            s4[i] = c.nextLong();
        }
        assertEquals(List.of(box(s1)), List.of(box(s2)));
        assertFalse(List.of(box(s1)).equals(List.of(box(s3))));
        assertFalse(List.of(box(s1)).equals(List.of(box(s4))));
    }

    @Test
    void aMillionEventsRun() {
        Simulation sim = new Simulation(5);
        RandomGenerator rnd = sim.random("delays");
        AtomicInteger count = new AtomicInteger();
        Runnable noop = count::incrementAndGet;
        // All queued at once: a million-entry heap.
        for (int i = 0; i < 1_000_000; i++) {
            sim.schedule(ofMillis(rnd.nextInt(60_000)), noop);
        }
        assertEquals(1_000_000, sim.pendingEvents());
        assertTrue(sim.runUntilIdle(ofMinutes(2)));
        assertEquals(1_000_000, count.get());
        assertEquals(1_000_000, sim.eventsRun());
        // The heap gave its memory back.
        assertEquals(0, sim.heapSize());
    }

    @Test
    void aMillionChainedEventsRun() {
        Simulation sim = new Simulation(5);
        SimRuntime r = sim.newRuntime("chain");
        AtomicInteger count = new AtomicInteger();
        Runnable[] next = new Runnable[1];
        next[0] = () -> {
            if (count.incrementAndGet() < 1_000_000) {
                if ((count.get() & 1) == 0) {
                    r.execute(next[0]);
                } else {
                    r.schedule(1, next[0]);
                }
            }
        };
        r.execute(next[0]);
        assertTrue(sim.runUntilIdle(ofHours(1)));
        assertEquals(1_000_000, count.get());
        assertEquals(ofMillis(500_000), sim.elapsed());
    }

    private static Long[] box(long[] a) {
        Long[] r = new Long[a.length];
        for (int i = 0; i < a.length; i++) {
            r[i] = a[i];
        }
        return r;
    }
}
