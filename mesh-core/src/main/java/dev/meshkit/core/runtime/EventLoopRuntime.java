package dev.meshkit.core.runtime;

import dev.meshkit.api.spi.Cancellable;
import dev.meshkit.api.spi.NodeRuntime;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The default runtime: one event-loop thread per node and a small bounded pool for signature checks.
 * Threads are daemons so a forgotten node never keeps a JVM alive.
 *
 * <p>A task that throws is logged and the loop goes on. After {@link #close()} the tasks already
 * queued still run (so they can fail their futures), timers are dropped, and new tasks are refused
 * silently.
 *
 * <p>The loop is a plain thread over a lock-free task queue and a timer heap of its own, not a
 * {@code ScheduledThreadPoolExecutor}: that one sends every immediate task through its delay queue
 * (a lock, a heap insertion and a signal each), and immediate tasks are nearly all the traffic. A
 * producer wakes the loop only when it is parked.
 */
public final class EventLoopRuntime implements NodeRuntime {
    private static final Logger LOG = LoggerFactory.getLogger(EventLoopRuntime.class);
    /** Tasks run in a row before timers are looked at again. */
    private static final int BATCH = 1024;

    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    /** Timers scheduled from any thread, moved into {@link #timers} by the loop. */
    private final ConcurrentLinkedQueue<Timer> newTimers = new ConcurrentLinkedQueue<>();
    /** The loop thread's own heap of timers, earliest first. */
    private final PriorityQueue<Timer> timers = new PriorityQueue<>();
    /** Timers cancelled but maybe still in the heap (approximate; it only triggers a clean-up). */
    private final AtomicInteger cancellations = new AtomicInteger();
    private long timerSeq;
    private final Thread thread;
    private volatile boolean parked;
    private volatile boolean closed;
    private final ThreadPoolExecutor workers;
    private final RandomGenerator random = new SplittableRandom(new java.security.SecureRandom().nextLong());

    /** A task due at a time on the monotonic clock; ties run in scheduling order. */
    private final class Timer implements Comparable<Timer>, Cancellable {
        final long dueNanos;
        final Runnable task;
        long seq;
        volatile boolean cancelled;

        Timer(long dueNanos, Runnable task) {
            this.dueNanos = dueNanos;
            this.task = task;
        }

        @Override
        public int compareTo(Timer o) {
            int c = Long.compare(dueNanos - o.dueNanos, 0);
            return c != 0 ? c : Long.compare(seq, o.seq);
        }

        @Override
        public void cancel() {
            if (!cancelled) {
                cancelled = true;
                cancellations.incrementAndGet();
            }
        }
    }

    /**
     * Creates the threads.
     *
     * @param name          thread name prefix, e.g. the node's short id
     * @param workerThreads size of the worker pool
     * @param workerQueue   tasks the worker pool may queue before it refuses more
     */
    public EventLoopRuntime(String name, int workerThreads, int workerQueue) {
        int[] counter = {0};
        this.workers = new ThreadPoolExecutor(workerThreads, workerThreads, 30, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(workerQueue), r -> {
                    Thread t = new Thread(r, "meshkit-worker-" + name + "-" + counter[0]++);
                    t.setDaemon(true);
                    return t;
                }, new ThreadPoolExecutor.AbortPolicy());
        workers.allowCoreThreadTimeOut(true);
        this.thread = new Thread(this::run, "meshkit-loop-" + name);
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        while (true) {
            long now = System.nanoTime();
            runDueTimers(now);
            int ran = 0;
            for (Runnable r; ran < BATCH && (r = tasks.poll()) != null; ran++) {
                runLogged(r);
            }
            if (ran > 0) {
                continue;
            }
            if (closed) {
                return; // every task queued before close has run; timers are dropped
            }
            parked = true;
            // Look again after announcing the park: a producer that missed the flag queued first.
            if (tasks.isEmpty() && newTimers.isEmpty() && !closed) {
                Timer next = timers.peek();
                if (next == null) {
                    LockSupport.park(this);
                } else {
                    long wait = next.dueNanos - System.nanoTime();
                    if (wait > 0) {
                        LockSupport.parkNanos(this, wait);
                    }
                }
            }
            parked = false;
        }
    }

    private void runDueTimers(long now) {
        for (Timer t; (t = newTimers.poll()) != null; ) {
            t.seq = timerSeq++;
            timers.add(t);
        }
        if (closed) {
            timers.clear();
            return;
        }
        for (Timer t; (t = timers.peek()) != null && t.dueNanos - now <= 0; ) {
            timers.poll();
            if (t.cancelled) {
                cancellations.decrementAndGet();
            } else {
                runLogged(t.task);
            }
        }
        // Cancelled timers stay in the heap until due; sweep them out before they pile up.
        int cancelled = cancellations.get();
        if (cancelled > 64 && cancelled > timers.size() / 2) {
            timers.removeIf(t -> t.cancelled);
            cancellations.set(0);
        }
    }

    private void wake() {
        if (parked && Thread.currentThread() != thread) {
            LockSupport.unpark(thread);
        }
    }

    @Override
    public long nowMillis() {
        return System.currentTimeMillis();
    }

    @Override
    public long monotonicMillis() {
        return System.nanoTime() / 1_000_000;
    }

    @Override
    public void execute(Runnable task) {
        if (closed) {
            return; // the node has stopped and its state is gone: nothing left to do
        }
        tasks.add(task);
        wake();
    }

    private static void runLogged(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException | Error e) {
            LOG.error("event-loop task failed", e);
        }
        // A task that left the thread interrupted would make every park return at once: the
        // idle loop would spin on a core, and later blocking calls on the loop would fail.
        if (Thread.interrupted()) {
            LOG.warn("an event-loop task left the thread interrupted; cleared");
        }
    }

    @Override
    public Cancellable schedule(long delayMillis, Runnable task) {
        if (closed) {
            return () -> { };
        }
        Timer t = new Timer(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Math.max(0, delayMillis)), task);
        newTimers.add(t);
        wake();
        return t;
    }

    @Override
    public boolean inEventLoop() {
        return Thread.currentThread() == thread;
    }

    @Override
    public RandomGenerator random() {
        return random;
    }

    @Override
    public Executor workers() {
        return workers;
    }

    @Override
    public void close() {
        closed = true;
        LockSupport.unpark(thread);
        workers.shutdownNow();
    }
}
