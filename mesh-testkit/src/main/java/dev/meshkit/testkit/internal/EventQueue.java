package dev.meshkit.testkit.internal;

import java.util.Arrays;

/**
 * A binary min-heap of {@link Task}s ordered by (due time, insertion sequence).
 *
 * <p>The sequence number makes the order total, so two tasks due at the same millisecond always run
 * in the order they were queued: that is what makes a simulation reproducible. Keys live in two
 * primitive arrays beside the task array, so comparisons during sift do not chase pointers; with
 * millions of queued events this is most of the queue's cost.
 *
 * <p>Cancelled tasks, and tasks of a closed {@link TaskOwner}, are removed lazily: they are skipped
 * when they reach the head. Protocol code cancels a lot (most request timeouts never fire), so when
 * dead entries exceed half of the heap the heap is compacted in one linear pass. Memory therefore
 * stays within a constant factor of the live tasks.
 *
 * <p>Not thread-safe: every method must be called holding {@link #lock()}, except
 * {@link Task#cancel()}, which takes it itself.
 */
public final class EventQueue {
    /** {@link #nextTime()} when nothing is queued. */
    public static final long EMPTY = Long.MAX_VALUE;

    private static final int MIN_CAPACITY = 64;
    // Below this many dead entries a purge is not worth a pass over the heap.
    private static final int PURGE_MIN_DEAD = 1024;

    private final Object lock;
    private long[] times = new long[MIN_CAPACITY];
    private long[] seqs = new long[MIN_CAPACITY];
    private Task[] tasks = new Task[MIN_CAPACITY];
    private int size;
    private int dead;
    private long nextSeq;

    /** Creates an empty queue guarded by {@code lock}. */
    public EventQueue(Object lock) {
        this.lock = lock;
    }

    /** The lock that guards this queue. */
    public Object lock() {
        return lock;
    }

    /**
     * Queues {@code action} at {@code time}. A task for an already closed owner is returned cancelled
     * and never enters the heap.
     */
    public Task add(long time, Runnable action, TaskOwner owner) {
        Task task = new Task(this, time, action, owner);
        if (owner != null) {
            if (owner.isClosed()) {
                task.state = Task.CANCELLED;
                return task;
            }
            owner.pending++;
        }
        if (size == tasks.length) {
            resize(size + (size >> 1));
        }
        siftUp(size++, time, nextSeq++, task);
        return task;
    }

    /** Due time of the next live task, or {@link #EMPTY}. Drops dead tasks found at the head. */
    public long nextTime() {
        skipDeadHead();
        return size == 0 ? EMPTY : times[0];
    }

    /** Removes and returns the next live task, or {@code null} if none is queued. */
    public Task poll() {
        skipDeadHead();
        if (size == 0) {
            return null;
        }
        Task task = removeHead();
        task.state = Task.RAN;
        if (task.owner() != null) {
            task.owner().pending--;
        }
        return task;
    }

    /** Live tasks: queued and not cancelled. */
    public int liveSize() {
        return size - dead;
    }

    /** Entries in the heap including dead ones not yet purged; for tests of the purge. */
    public int heapSize() {
        return size;
    }

    /** Kills every queued task of {@code owner}; later {@link #add}s for it are refused. */
    public void close(TaskOwner owner) {
        if (owner.isClosed()) {
            return;
        }
        owner.markClosed();
        dead += owner.pending;
        owner.pending = 0;
        maybePurge();
    }

    void cancel(Task task) {
        if (task.state != Task.PENDING) {
            return;
        }
        task.state = Task.CANCELLED;
        TaskOwner owner = task.owner();
        if (owner != null) {
            if (owner.isClosed()) {
                // Already counted dead when its owner closed.
                return;
            }
            owner.pending--;
        }
        dead++;
        maybePurge();
    }

    private void skipDeadHead() {
        while (size > 0 && tasks[0].isDead()) {
            removeHead();
            dead--;
        }
    }

    private void maybePurge() {
        if (dead >= PURGE_MIN_DEAD && dead > (size >> 1)) {
            purge();
        }
    }

    /** Drops every dead entry and rebuilds the heap bottom-up, O(n). */
    private void purge() {
        int kept = 0;
        for (int i = 0; i < size; i++) {
            Task t = tasks[i];
            if (!t.isDead()) {
                times[kept] = times[i];
                seqs[kept] = seqs[i];
                tasks[kept] = t;
                kept++;
            }
        }
        Arrays.fill(tasks, kept, size, null);
        size = kept;
        dead = 0;
        for (int i = (size >>> 1) - 1; i >= 0; i--) {
            siftDown(i, times[i], seqs[i], tasks[i]);
        }
        shrinkIfSparse();
    }

    private Task removeHead() {
        Task head = tasks[0];
        int last = --size;
        if (last > 0) {
            siftDown(0, times[last], seqs[last], tasks[last]);
        }
        tasks[last] = null;
        shrinkIfSparse();
        return head;
    }

    // Gives memory back after a burst (e.g. a million queued events) has drained.
    private void shrinkIfSparse() {
        int capacity = tasks.length;
        if (capacity > MIN_CAPACITY && size < (capacity >>> 2)) {
            resize(Math.max(MIN_CAPACITY, capacity >>> 1));
        }
    }

    private void resize(int capacity) {
        times = Arrays.copyOf(times, capacity);
        seqs = Arrays.copyOf(seqs, capacity);
        tasks = Arrays.copyOf(tasks, capacity);
    }

    /** Places (time, seq, task) at or above {@code hole}, moving larger parents down. */
    private void siftUp(int hole, long time, long seq, Task task) {
        while (hole > 0) {
            int parent = (hole - 1) >>> 1;
            long pt = times[parent];
            if (pt < time || (pt == time && seqs[parent] < seq)) {
                break;
            }
            times[hole] = pt;
            seqs[hole] = seqs[parent];
            tasks[hole] = tasks[parent];
            hole = parent;
        }
        times[hole] = time;
        seqs[hole] = seq;
        tasks[hole] = task;
    }

    /** Places (time, seq, task) at or below {@code hole}, moving smaller children up. */
    private void siftDown(int hole, long time, long seq, Task task) {
        int half = size >>> 1;
        while (hole < half) {
            int child = 2 * hole + 1;
            int right = child + 1;
            if (right < size
                    && (times[right] < times[child] || (times[right] == times[child] && seqs[right] < seqs[child]))) {
                child = right;
            }
            long ct = times[child];
            if (time < ct || (time == ct && seq < seqs[child])) {
                break;
            }
            times[hole] = ct;
            seqs[hole] = seqs[child];
            tasks[hole] = tasks[child];
            hole = child;
        }
        times[hole] = time;
        seqs[hole] = seq;
        tasks[hole] = task;
    }
}
