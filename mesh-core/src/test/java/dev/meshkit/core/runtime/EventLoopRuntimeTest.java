package dev.meshkit.core.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshkit.api.spi.Cancellable;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The default event loop: order, timers, cancellation, failures and close. */
class EventLoopRuntimeTest {
    private final EventLoopRuntime loop = new EventLoopRuntime("test", 1, 10);

    @AfterEach
    void close() {
        loop.close();
    }

    private void await(CountDownLatch latch) throws InterruptedException {
        assertTrue(latch.await(5, TimeUnit.SECONDS), "timed out");
    }

    @Test
    void tasksFromManyThreadsRunOnTheLoopEachThreadsInOrder() throws Exception {
        int threads = 4;
        int each = 20_000;
        List<List<Integer>> seen = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            seen.add(new ArrayList<>());
        }
        CountDownLatch done = new CountDownLatch(threads * each);
        AtomicInteger offLoop = new AtomicInteger();
        List<Thread> producers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            List<Integer> mine = seen.get(t);
            Thread p = new Thread(() -> {
                for (int i = 0; i < each; i++) {
                    int n = i;
                    loop.execute(() -> {
                        if (!loop.inEventLoop()) {
                            offLoop.incrementAndGet();
                        }
                        mine.add(n); // only the loop thread touches these lists
                        done.countDown();
                    });
                }
            });
            producers.add(p);
            p.start();
        }
        for (Thread p : producers) {
            p.join();
        }
        await(done);
        assertEquals(0, offLoop.get());
        for (List<Integer> s : seen) {
            for (int i = 0; i < each; i++) {
                assertEquals(i, s.get(i));
            }
        }
        assertFalse(loop.inEventLoop());
    }

    @Test
    void timersRunInDueOrderAndACancelledOneNever() throws Exception {
        List<String> order = new CopyOnWriteArrayList<>();
        CountDownLatch done = new CountDownLatch(3);
        loop.schedule(60, () -> {
            order.add("60");
            done.countDown();
        });
        Cancellable c = loop.schedule(30, () -> order.add("cancelled"));
        loop.schedule(20, () -> {
            order.add("20");
            done.countDown();
        });
        loop.schedule(0, () -> {
            order.add("0");
            done.countDown();
        });
        c.cancel();
        await(done);
        Thread.sleep(50);
        assertEquals(List.of("0", "20", "60"), order);
    }

    @Test
    void manyCancelledTimersDoNotHoldUpOrLeakAndTheRestStillFire() throws Exception {
        for (int i = 0; i < 10_000; i++) {
            loop.schedule(60_000, () -> { }).cancel();
        }
        CountDownLatch fired = new CountDownLatch(1);
        loop.schedule(10, fired::countDown);
        await(fired);
    }

    @Test
    void aTaskThatLeavesTheThreadInterruptedDoesNotLeaveTheLoopSpinning() throws Exception {
        CountDownLatch set = new CountDownLatch(1);
        loop.execute(() -> {
            Thread.currentThread().interrupt();
            set.countDown();
        });
        await(set);
        boolean[] interrupted = new boolean[1];
        CountDownLatch checked = new CountDownLatch(1);
        loop.schedule(50, () -> { // runs after a park, which an interrupt flag would cut short
            interrupted[0] = Thread.currentThread().isInterrupted();
            checked.countDown();
        });
        await(checked);
        assertFalse(interrupted[0], "the next task saw the interrupt");
    }

    @Test
    void aFailingTaskIsLoggedAndTheLoopGoesOn() throws Exception {
        CountDownLatch after = new CountDownLatch(2);
        loop.execute(() -> {
            throw new IllegalStateException("expected in this test");
        });
        loop.schedule(5, () -> {
            throw new IllegalStateException("expected in this test");
        });
        loop.execute(after::countDown);
        loop.schedule(20, after::countDown);
        await(after);
    }

    @Test
    void closeRunsWhatIsQueuedDropsTimersAndRefusesNewTasks() throws Exception {
        CountDownLatch gate = new CountDownLatch(1);
        AtomicInteger ran = new AtomicInteger();
        loop.execute(() -> {
            try {
                gate.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        for (int i = 0; i < 100; i++) {
            loop.execute(ran::incrementAndGet);
        }
        loop.schedule(0, () -> ran.addAndGet(1000));
        loop.execute(loop::close); // the usual caller of close() is the loop itself
        gate.countDown();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (ran.get() < 100 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        Thread.sleep(50);
        loop.execute(() -> ran.addAndGet(10_000));
        loop.schedule(0, () -> ran.addAndGet(10_000));
        Thread.sleep(50);
        // The zero-delay timer may have fired before close; nothing after close runs.
        assertTrue(ran.get() == 100 || ran.get() == 1100, "ran " + ran.get());
    }
}
