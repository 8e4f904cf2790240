package dev.meshkit.testkit.internal;

import dev.meshkit.api.spi.Cancellable;

/**
 * One queued event. It is also the {@link Cancellable} handed back to whoever scheduled it, so
 * cancelling needs no lookup: the task is only flagged, and the queue skips or purges it later.
 */
public final class Task implements Cancellable {
    static final byte PENDING = 0;
    static final byte RAN = 1;
    static final byte CANCELLED = 2;

    private final EventQueue queue;
    private final long time;
    private final Runnable action;
    private final TaskOwner owner;
    byte state = PENDING;

    Task(EventQueue queue, long time, Runnable action, TaskOwner owner) {
        this.queue = queue;
        this.time = time;
        this.action = action;
        this.owner = owner;
    }

    /** The virtual time (epoch milliseconds) the task is due. */
    public long time() {
        return time;
    }

    /** What the task does. */
    public Runnable action() {
        return action;
    }

    /** The node the task belongs to, or {@code null} for simulation-wide events such as the network's. */
    public TaskOwner owner() {
        return owner;
    }

    /** True while the task is queued and will still run. */
    public boolean isPending() {
        return state == PENDING && (owner == null || !owner.isClosed());
    }

    /**
     * Stops the task from running. Takes the simulation's lock because {@link Cancellable} may be
     * called from any thread.
     */
    @Override
    public void cancel() {
        synchronized (queue.lock()) {
            queue.cancel(this);
        }
    }

    boolean isDead() {
        return state == CANCELLED || (owner != null && owner.isClosed());
    }

    @Override
    public String toString() {
        return "Task[t=" + time + ", owner=" + owner + ", state=" + state + "]";
    }
}
