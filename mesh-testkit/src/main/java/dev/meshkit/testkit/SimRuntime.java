package dev.meshkit.testkit;

import dev.meshkit.api.spi.Cancellable;
import dev.meshkit.api.spi.NodeRuntime;
import dev.meshkit.testkit.internal.TaskOwner;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.random.RandomGenerator;

/**
 * The {@link NodeRuntime} of one simulated node: its event loop is the simulation's queue, its clock
 * the virtual clock, its random source a seeded stream of its own. Made by
 * {@link Simulation#newRuntime(String)}.
 *
 * <ul>
 *   <li>{@link #execute} queues the task at the current virtual time, after everything already
 *       queued for that time; {@link #schedule} queues it {@code delayMillis} later.
 *   <li>{@link #inEventLoop} is true only while the simulation runs one of this node's own tasks.
 *       Network callbacks are not node tasks, just as a real transport calls back on its I/O
 *       thread, so protocol code hops onto its loop exactly as it does in production.
 *   <li>{@link #workers()} runs work inline: signature checks cost no virtual time, and inline
 *       execution keeps the order deterministic.
 *   <li>{@link #close()} models a crash: every queued task of the node is dropped at once, and
 *       later {@code execute}/{@code schedule} calls are silently ignored, so callbacks from other
 *       nodes or the network into a dead node are harmless.
 * </ul>
 */
public final class SimRuntime implements NodeRuntime {
    private static final Cancellable NOT_SCHEDULED = () -> { };

    private final Simulation simulation;
    private final String name;
    private final TaskOwner owner;
    private final RandomGenerator random;
    private final Executor workers;

    SimRuntime(Simulation simulation, String name, RandomGenerator random) {
        this.simulation = simulation;
        this.name = name;
        this.owner = new TaskOwner(name);
        this.random = random;
        this.workers = task -> {
            Objects.requireNonNull(task, "task");
            if (!isClosed()) {
                task.run();
            }
        };
    }

    /**
     * A generator seeded from this runtime's random source, so challenges and the ties they break
     * repeat with the simulation's seed. Never outside a simulation: such bytes are predictable.
     */
    @Override
    public SecureRandom secureRandom() {
        try {
            SecureRandom r = SecureRandom.getInstance("SHA1PRNG");
            r.setSeed(random.nextLong());
            return r;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA1PRNG is part of every JDK", e);
        }
    }

    /** The node's name. */
    public String name() {
        return name;
    }

    /** The simulation this runtime belongs to. */
    public Simulation simulation() {
        return simulation;
    }

    /** True after {@link #close()} (or a {@linkplain SimNetwork#crash crash} of this node). */
    public boolean isClosed() {
        synchronized (simulation.lock()) {
            return owner.isClosed();
        }
    }

    /** Tasks of this node queued and not cancelled. */
    public int pendingTasks() {
        synchronized (simulation.lock()) {
            return owner.pending();
        }
    }

    @Override
    public long nowMillis() {
        return simulation.nowMillis();
    }

    @Override
    public void execute(Runnable task) {
        Objects.requireNonNull(task, "task");
        simulation.enqueue(0, task, owner);
    }

    @Override
    public Cancellable schedule(long delayMillis, Runnable task) {
        Objects.requireNonNull(task, "task");
        synchronized (simulation.lock()) {
            if (owner.isClosed()) {
                return NOT_SCHEDULED;
            }
            return simulation.enqueue(delayMillis, task, owner);
        }
    }

    @Override
    public boolean inEventLoop() {
        return simulation.isRunning(owner);
    }

    /** This node's seeded random source. Like the real one, use it on the event loop only. */
    @Override
    public RandomGenerator random() {
        return random;
    }

    @Override
    public Executor workers() {
        return workers;
    }

    /** Drops every queued task of this node; idempotent. */
    @Override
    public void close() {
        simulation.close(this, owner);
    }

    @Override
    public String toString() {
        return "SimRuntime[" + name + (isClosed() ? ", closed]" : "]");
    }
}
