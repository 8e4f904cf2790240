package dev.meshkit.benchmarks.scenario;

import java.nio.ByteBuffer;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Tracks one measured phase: when each message was published and when each receiver got it, all with
 * {@link System#nanoTime()} in this one JVM. A payload carries its phase and index in its first
 * {@link #HEADER_BYTES} bytes (big-endian ints); the rest is filler.
 *
 * <p>Each receiver writes only its own slots and is the only writer of them; completion (the last
 * receiver of a message) is published through an atomic counter, so the publishing thread reads the
 * slots of completed messages safely.
 */
final class Probe {
    static final int HEADER_BYTES = 8;
    static final String TYPE = "bench.probe";

    final int phase;
    final int messages;
    final int receivers;
    final long[] publishedAt;
    final long[] completedAt;
    final long[][] deliveredAt;
    private final AtomicIntegerArray remaining;
    private final AtomicInteger completed = new AtomicInteger();
    private final AtomicLong duplicates = new AtomicLong();
    private final AtomicLong strays = new AtomicLong();
    private final Semaphore window;
    private final byte[] buffer;
    private volatile Thread waiter;

    Probe(int phase, int messages, int receivers, int size, int window) {
        this.phase = phase;
        this.messages = messages;
        this.receivers = receivers;
        this.publishedAt = new long[messages];
        this.completedAt = new long[messages];
        this.deliveredAt = new long[messages][receivers];
        this.remaining = new AtomicIntegerArray(messages);
        for (int i = 0; i < messages; i++) {
            remaining.set(i, receivers);
        }
        this.window = new Semaphore(window);
        this.buffer = new byte[size];
        for (int i = HEADER_BYTES; i < size; i++) {
            buffer[i] = (byte) (i * 31 + 7);
        }
    }

    /**
     * The payload of message {@code index}. The same array is returned every time, rewritten: callers
     * must hand it on before asking for the next one (MeshKit's broadcast copies it before returning).
     */
    byte[] payload(int index) {
        ByteBuffer.wrap(buffer).putInt(0, phase).putInt(4, index);
        return buffer;
    }

    void delivered(int r, byte[] payload, long now) {
        if (payload.length < HEADER_BYTES) {
            strays.incrementAndGet();
            return;
        }
        ByteBuffer b = ByteBuffer.wrap(payload);
        delivered(r, b.getInt(0), b.getInt(4), now);
    }

    void delivered(int r, ByteBuffer payload, long now) {
        if (payload.remaining() < HEADER_BYTES) {
            strays.incrementAndGet();
            return;
        }
        int p = payload.position();
        delivered(r, payload.getInt(p), payload.getInt(p + 4), now);
    }

    private void delivered(int r, int phaseOf, int index, long now) {
        if (phaseOf != phase || index < 0 || index >= messages) {
            strays.incrementAndGet();
            return;
        }
        if (deliveredAt[index][r] != 0) {
            duplicates.incrementAndGet();
            return;
        }
        deliveredAt[index][r] = now;
        if (remaining.decrementAndGet(index) == 0) {
            completedAt[index] = now;
            completed.incrementAndGet();
            window.release();
            Thread w = waiter;
            if (w != null) {
                LockSupport.unpark(w);
            }
        }
    }

    /** Takes a window slot; false if none came free in time (messages are being lost). */
    boolean acquire(long timeoutNanos) throws InterruptedException {
        return window.tryAcquire(timeoutNanos, TimeUnit.NANOSECONDS);
    }

    /** Records the publish time of {@code index}; call just before handing the message over. */
    void published(int index, long now) {
        publishedAt[index] = now;
    }

    /** True once every receiver delivered message {@code index}. */
    boolean isComplete(int index) {
        return remaining.get(index) == 0;
    }

    /** Waits until message {@code index} is complete or the deadline passes. */
    boolean awaitMessage(int index, long deadlineNanos) {
        waiter = Thread.currentThread();
        try {
            while (!isComplete(index)) {
                long left = deadlineNanos - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                LockSupport.parkNanos(this, Math.min(left, 1_000_000));
            }
            return true;
        } finally {
            waiter = null;
        }
    }

    /** Waits until {@code count} messages are complete or the deadline passes. */
    boolean awaitCompleted(int count, long deadlineNanos) {
        waiter = Thread.currentThread();
        try {
            while (completed.get() < count) {
                long left = deadlineNanos - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                LockSupport.parkNanos(this, Math.min(left, 1_000_000));
            }
            return true;
        } finally {
            waiter = null;
        }
    }

    int completed() {
        return completed.get();
    }

    long duplicates() {
        return duplicates.get();
    }

    long strays() {
        return strays.get();
    }

    /** The latest completion time among messages {@code [from, to)} that completed, or 0. */
    long lastCompletion(int from, int to) {
        long last = 0;
        for (int i = from; i < to; i++) {
            if (isComplete(i) && (last == 0 || completedAt[i] - last > 0)) {
                last = completedAt[i];
            }
        }
        return last;
    }
}
