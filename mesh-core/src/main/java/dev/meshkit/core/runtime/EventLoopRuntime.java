package dev.meshkit.core.runtime;

import dev.meshkit.api.spi.Cancellable;
import dev.meshkit.api.spi.NodeRuntime;
import java.util.SplittableRandom;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;

/**
 * The default runtime: one event-loop thread per node and a small bounded pool for signature checks.
 * Threads are daemons so a forgotten node never keeps a JVM alive.
 */
public final class EventLoopRuntime implements NodeRuntime {
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
    public void execute(Runnable task) {
        if (!loop.isShutdown()) {
            loop.execute(task);
        }
    }

    @Override
    public Cancellable schedule(long delayMillis, Runnable task) {
        if (loop.isShutdown()) {
            return () -> { };
        }
        ScheduledFuture<?> f = loop.schedule(task, Math.max(0, delayMillis), TimeUnit.MILLISECONDS);
        return () -> f.cancel(false);
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
        loop.shutdownNow();
        workers.shutdownNow();
    }

    /** Waits for both thread pools to end, for callers that must not leave threads behind. */
    public boolean awaitTermination(long millis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        boolean a = loop.awaitTermination(millis, TimeUnit.MILLISECONDS);
        long left = Math.max(0, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
        return a && workers.awaitTermination(left, TimeUnit.MILLISECONDS);
    }
}
