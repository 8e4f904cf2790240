package dev.meshkit.testkit;

import static java.time.Duration.ofMillis;
import static java.time.Duration.ofSeconds;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class SimRuntimeTest {

    @Test
    void timeAndSchedulingAreVirtual() {
        Simulation sim = new Simulation(1);
        SimRuntime r = sim.newRuntime("n");
        AtomicLong executedAt = new AtomicLong();
        AtomicLong scheduledAt = new AtomicLong();
        sim.runFor(ofSeconds(3));
        r.execute(() -> executedAt.set(r.nowMillis()));
        r.schedule(1_500, () -> scheduledAt.set(r.nowMillis()));
        r.schedule(-5, () -> { }); // negative delay means now

        sim.runFor(ofSeconds(2));

        long start = Simulation.DEFAULT_EPOCH.toEpochMilli();
        assertEquals(start + 3_000, executedAt.get());
        assertEquals(start + 4_500, scheduledAt.get());
        assertEquals(sim.nowMillis(), r.nowMillis());
        assertEquals("n", r.name());
        assertSame(sim, r.simulation());
    }

    @Test
    void inEventLoopOnlyInsideTheNodesOwnTasks() {
        Simulation sim = new Simulation(1);
        SimRuntime a = sim.newRuntime("a");
        SimRuntime b = sim.newRuntime("b");
        List<String> seen = new ArrayList<>();
        a.execute(() -> seen.add("a-task a=" + a.inEventLoop() + " b=" + b.inEventLoop()));
        b.schedule(5, () -> seen.add("b-task a=" + a.inEventLoop() + " b=" + b.inEventLoop()));
        sim.schedule(ofMillis(1), () -> seen.add("sim-event a=" + a.inEventLoop() + " b=" + b.inEventLoop()));
        a.execute(() -> a.workers().execute(() -> seen.add("a-worker a=" + a.inEventLoop())));

        assertFalse(a.inEventLoop());
        sim.runFor(ofSeconds(1));
        assertFalse(a.inEventLoop());

        assertEquals(List.of(
                "a-task a=true b=false",
                "a-worker a=true",
                "sim-event a=false b=false",
                "b-task a=false b=true"), seen);
    }

    @Test
    void inEventLoopIsFalseOnOtherThreadsDuringARun() throws Exception {
        Simulation sim = new Simulation(1);
        SimRuntime a = sim.newRuntime("a");
        AtomicBoolean otherThreadSaw = new AtomicBoolean(true);
        CountDownLatch done = new CountDownLatch(1);
        a.execute(() -> {
            Thread t = new Thread(() -> {
                otherThreadSaw.set(a.inEventLoop());
                done.countDown();
            });
            t.start();
            try {
                assertTrue(done.await(10, TimeUnit.SECONDS));
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        });
        sim.runFor(ofMillis(1));
        assertFalse(otherThreadSaw.get());
    }

    @Test
    void executeFromAnotherThreadWaitsForTheRunAndIsSafe() throws Exception {
        Simulation sim = new Simulation(1);
        SimRuntime a = sim.newRuntime("a");
        AtomicLong ran = new AtomicLong();
        Thread t = new Thread(() -> {
            for (int i = 0; i < 10_000; i++) {
                a.execute(ran::incrementAndGet);
            }
        });
        t.start();
        // Run concurrently with the other thread's submissions; nothing may be lost or corrupt the heap.
        while (t.isAlive()) {
            sim.runFor(ofMillis(1));
        }
        t.join();
        sim.runFor(ofMillis(1));
        assertEquals(10_000, ran.get());
    }

    @Test
    void randomIsSeededPerNodeName() {
        long a1 = new Simulation(42).newRuntime("node-1").random().nextLong();
        long a2 = new Simulation(42).newRuntime("node-1").random().nextLong();
        long otherName = new Simulation(42).newRuntime("node-2").random().nextLong();
        long otherSeed = new Simulation(43).newRuntime("node-1").random().nextLong();
        assertEquals(a1, a2);
        assertNotEquals(a1, otherName);
        assertNotEquals(a1, otherSeed);

        // Independent of creation order.
        Simulation sim = new Simulation(42);
        sim.newRuntime("node-2");
        assertEquals(a1, sim.newRuntime("node-1").random().nextLong());
    }

    @Test
    void aRestartedNodeGetsAFreshButReproducibleRandomStream() {
        Simulation sim = new Simulation(42);
        SimRuntime first = sim.newRuntime("n");
        RandomGenerator firstRandom = first.random();
        long firstValue = firstRandom.nextLong();
        assertThrows(IllegalStateException.class, () -> sim.newRuntime("n"));
        first.close();
        long secondValue = sim.newRuntime("n").random().nextLong();
        assertNotEquals(firstValue, secondValue);

        Simulation again = new Simulation(42);
        again.newRuntime("n").close();
        assertEquals(secondValue, again.newRuntime("n").random().nextLong());
    }

    @Test
    void workersRunInline() {
        Simulation sim = new Simulation(1);
        SimRuntime r = sim.newRuntime("n");
        List<String> order = new ArrayList<>();
        r.execute(() -> {
            order.add("before");
            r.workers().execute(() -> {
                order.add("work");
                r.execute(() -> order.add("result"));
            });
            order.add("after");
        });
        sim.runFor(ofMillis(1));
        assertEquals(List.of("before", "work", "after", "result"), order);
    }

    @Test
    void runtimeLookupFindsOnlyOpenRuntimes() {
        Simulation sim = new Simulation(1);
        SimRuntime r = sim.newRuntime("n");
        assertSame(r, sim.runtime("n").orElseThrow());
        r.close();
        assertTrue(sim.runtime("n").isEmpty());
        assertTrue(sim.runtime("nobody").isEmpty());
    }
}
