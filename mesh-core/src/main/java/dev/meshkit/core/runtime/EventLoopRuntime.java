package dev.meshkit.core.runtime;

import dev.meshkit.api.spi.Cancellable;
import dev.meshkit.api.spi.NodeRuntime;
import java.util.SplittableRandom;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
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
 */
public final class EventLoopRuntime implements NodeRuntime {
    private static final Logger LOG = LoggerFactory.getLogger(EventLoopRuntime.class);
    private final ScheduledThreadPoolExecutor loop;
    private final ThreadPoolExecutor workers;
    private final RandomGenerator random = new SplittableRandom(new java.security.SecureRandom().nextLong());
    private volatile Thread loopThread;

    /**
     * Creates the threads.
     *
     * @param name          thread name prefix, e.g. the node's short id
     * @param workerThreads size of the worker pool
     * @param workerQueue   tasks the worker pool may queue before it refuses more
     */
    public EventLoopRuntime(String name, int workerThreads, int workerQueue) {
        this.loop = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "meshkit-loop-" + name);
            t.setDaemon(true);
            loopThread = t;
            return t;
        });
        loop.setRemoveOnCancelPolicy(true);
        loop.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        loop.setContinueExistingPeriodicTasksAfterShutdownPolicy(false);
        int[] counter = {0};
        this.workers = new ThreadPoolExecutor(workerThreads, workerThreads, 30, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(workerQueue), r -> {
                    Thread t = new Thread(r, "meshkit-worker-" + name + "-" + counter[0]++);
                    t.setDaemon(true);
                    return t;
                }, new ThreadPoolExecutor.AbortPolicy());
        workers.allowCoreThreadTimeOut(true);
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
        try {
            loop.execute(() -> runLogged(task));
        } catch (RejectedExecutionException e) {
            // Closed: the node has stopped and its state is gone, so there is nothing left to do.
        }
    }

    private static void runLogged(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException | Error e) {
            LOG.error("event-loop task failed", e);
        }
    }

    @Override
    public Cancellable schedule(long delayMillis, Runnable task) {
        try {
            ScheduledFuture<?> f = loop.schedule(() -> runLogged(task), Math.max(0, delayMillis),
                    TimeUnit.MILLISECONDS);
            return () -> f.cancel(false);
        } catch (RejectedExecutionException e) {
            return () -> { };
        }
    }

    @Override
    public boolean inEventLoop() {
        return Thread.currentThread() == loopThread;
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
        // Not shutdownNow: that would interrupt the loop thread, which is often the caller.
        loop.shutdown();
        workers.shutdownNow();
    }

}
