package dev.meshkit.testkit.internal;

/**
 * The node a queued task belongs to. Closing the owner kills all its queued tasks at once, which is
 * how a node crash is modelled: the tasks stay in the heap (removing them eagerly would cost a scan)
 * and are skipped or purged later, so the owner counts how many it still has queued to keep the
 * queue's dead-entry count exact.
 */
public final class TaskOwner {
    private final String name;
    private boolean closed;
    // Live tasks of this owner still in the heap; moved to the queue's dead count on close.
    int pending;

    /** Creates an open owner; {@code name} is for diagnostics only. */
    public TaskOwner(String name) {
        this.name = name;
    }

    /** The owner's name, for diagnostics. */
    public String name() {
        return name;
    }

    /** True once {@link EventQueue#close(TaskOwner)} ran: the owner's tasks will never run. */
    public boolean isClosed() {
        return closed;
    }

    /** Tasks of this owner that are queued and will still run. */
    public int pending() {
        return pending;
    }

    void markClosed() {
        closed = true;
    }

    @Override
    public String toString() {
        return name;
    }
}
