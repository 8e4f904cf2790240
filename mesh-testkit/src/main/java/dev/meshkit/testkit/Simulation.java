package dev.meshkit.testkit;

import dev.meshkit.api.spi.Cancellable;
import dev.meshkit.testkit.internal.EventQueue;
import dev.meshkit.testkit.internal.Seeds;
import dev.meshkit.testkit.internal.Task;
import dev.meshkit.testkit.internal.TaskOwner;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A deterministic discrete-event simulation: one virtual clock and one event queue shared by every
 * simulated node ({@link SimRuntime}) and network ({@link SimNetwork}).
 *
 * <p><b>Determinism.</b> Events run in order of (due time, insertion sequence), one at a time, on
 * the thread that drives the simulation. All randomness comes from {@link SplittableRandom}s derived
 * from the {@linkplain #seed() seed} and a label (a node's name, a network's index), so the same
 * seed and the same scenario give the same run, event for event. Code under simulation must not
 * use wall-clock time, its own threads or unseeded randomness, or the run stops being reproducible.
 *
 * <p><b>Time.</b> Virtual time has millisecond resolution, matching {@code NodeRuntime}. It starts
 * at {@link #DEFAULT_EPOCH} (November 2023) rather than zero so timestamps in logs and messages look
 * like real ones, and it only moves when the simulation is run: a run jumps straight from one due
 * event to the next, so idle virtual hours cost nothing.
 *
 * <p><b>Threads.</b> A simulation is driven by one thread, normally the test thread, through
 * {@link #runFor}, {@link #runUntil}, {@link #step} and friends; events run on that thread inside
 * those calls, with no thread switch per event. Between runs the test thread may freely call into
 * nodes (start a node, send a message): what those calls queue runs at the current virtual time in
 * the next run. Every entry point of the simulation, its runtimes and its networks is guarded by one
 * lock, which a run holds from start to end, so a call from a stray thread (a future callback on a
 * pool thread, say) is safe: it waits until the run in progress returns. Consequently a simulated
 * task must never block waiting for another thread, and a test must never block the driving thread
 * on a future that only a run can complete; use {@link #runUntilDone} instead of {@code join()}.
 *
 * <p><b>Failures.</b> By default an exception thrown by an event stops the run with a
 * {@link SimulationException}, so bugs in protocol code fail the test where they happen; the clock
 * stays at the failing event and the remaining events stay queued. {@link #setFailOnTaskException}
 * switches to the behaviour of a real event loop: log and carry on.
 */
public final class Simulation {
    /** Where virtual time starts unless told otherwise: 2023-11-14T22:13:20Z. */
    public static final Instant DEFAULT_EPOCH = Instant.ofEpochMilli(1_700_000_000_000L);

    private static final Logger log = LoggerFactory.getLogger(Simulation.class);
    // Deadlines are capped below EventQueue.EMPTY so "next time <= deadline" is false on an empty queue.
    private static final long MAX_TIME = EventQueue.EMPTY - 1;

    private final Object lock = new Object();
    private final long seed;
    private final long epochMillis;
    private final EventQueue queue = new EventQueue(lock);
    private final Map<String, SimRuntime> runtimes = new HashMap<>();
    private final Map<String, Integer> incarnations = new HashMap<>();

    // Written only by the driving thread under the lock; volatile so nowMillis() needs no lock.
    private volatile long now;
    // Volatile so inEventLoop() from a stray thread never sees a stale "it's you".
    private volatile Thread driver;
    private TaskOwner current;
    private boolean failOnTaskException = true;
    private long eventsRun;
    private long taskFailures;
    private int networks;

    /** A simulation starting at {@link #DEFAULT_EPOCH}. */
    public Simulation(long seed) {
        this(seed, DEFAULT_EPOCH);
    }

    /** A simulation whose clock starts at {@code epoch}. */
    public Simulation(long seed, Instant epoch) {
        this.seed = seed;
        this.epochMillis = epoch.toEpochMilli();
        this.now = epochMillis;
    }

    /** The seed every random source of this simulation derives from. */
    public long seed() {
        return seed;
    }

    /** Current virtual time in epoch milliseconds. */
    public long nowMillis() {
        return now;
    }

    /** Current virtual time. */
    public Instant now() {
        return Instant.ofEpochMilli(now);
    }

    /** Virtual time elapsed since the start. */
    public Duration elapsed() {
        return Duration.ofMillis(now - epochMillis);
    }

    /**
     * What a run does when an event throws: {@code true} (the default) stops the run with a
     * {@link SimulationException}; {@code false} logs the exception and carries on, as a real event
     * loop would, counting it in {@link #taskFailures()}.
     */
    public void setFailOnTaskException(boolean fail) {
        synchronized (lock) {
            this.failOnTaskException = fail;
        }
    }

    /** Events that threw while {@link #setFailOnTaskException} was off. */
    public long taskFailures() {
        synchronized (lock) {
            return taskFailures;
        }
    }

    /** Events run so far, for benchmarks. */
    public long eventsRun() {
        synchronized (lock) {
            return eventsRun;
        }
    }

    /** Events queued that will still run (cancelled ones and those of closed runtimes excluded). */
    public int pendingEvents() {
        synchronized (lock) {
            return queue.liveSize();
        }
    }

    /**
     * Creates the runtime of a node named {@code name}. Its random source derives from the seed, the
     * name and how many runtimes of that name were created before, so a node restarted after a crash
     * does not replay its previous life's random choices.
     *
     * @throws IllegalStateException if a runtime of that name is still open
     */
    public SimRuntime newRuntime(String name) {
        Objects.requireNonNull(name, "name");
        synchronized (lock) {
            SimRuntime existing = runtimes.get(name);
            if (existing != null && !existing.isClosed()) {
                throw new IllegalStateException("a runtime named " + name + " is still open");
            }
            int incarnation = incarnations.merge(name, 1, Integer::sum);
            String label = incarnation == 1 ? "node:" + name : "node:" + name + "#" + incarnation;
            SimRuntime runtime = new SimRuntime(this, name, new SplittableRandom(Seeds.derive(seed, label)));
            runtimes.put(name, runtime);
            return runtime;
        }
    }

    /** The open runtime named {@code name}, if any. */
    public Optional<SimRuntime> runtime(String name) {
        synchronized (lock) {
            SimRuntime r = runtimes.get(name);
            return r == null || r.isClosed() ? Optional.empty() : Optional.of(r);
        }
    }

    /** Creates a network whose randomness (latency, loss) derives from the seed and its index. */
    public SimNetwork newNetwork() {
        synchronized (lock) {
            int index = networks++;
            return new SimNetwork(this, new SplittableRandom(Seeds.derive(seed, "network#" + index)));
        }
    }

    /**
     * A fresh random source for test code (choosing which node to crash, payloads), derived from the
     * seed and {@code label}: the same label always gives the same sequence.
     */
    public RandomGenerator random(String label) {
        return new SplittableRandom(Seeds.derive(seed, "user:" + label));
    }

    /**
     * Runs {@code task} after {@code delay} of virtual time as a simulation-wide event owned by no
     * node, e.g. to script "crash node 3 at 30 s" into a run.
     */
    public Cancellable schedule(Duration delay, Runnable task) {
        Objects.requireNonNull(task, "task");
        return enqueue(saturatedMillis(delay), task, null);
    }

    /**
     * Runs the next event, moving the clock to its due time.
     *
     * @return false if nothing was queued
     */
    public boolean step() {
        synchronized (lock) {
            enterRun();
            try {
                long t = queue.nextTime();
                if (t == EventQueue.EMPTY) {
                    return false;
                }
                now = t;
                runTask(queue.poll());
                return true;
            } finally {
                exitRun();
            }
        }
    }

    /**
     * Runs every event due within {@code duration} from now, then sets the clock to now plus
     * {@code duration}; events due exactly at the end run.
     */
    public void runFor(Duration duration) {
        run(deadline(duration), null);
    }

    /**
     * Runs events until {@code condition} holds or {@code maxVirtualTime} has passed.
     *
     * <p>The condition is checked before the first event and then each time the clock is about to
     * move on, i.e. after all events due at one millisecond have run. Checking per millisecond
     * rather than per event keeps expensive conditions (a scan over 10,000 nodes) affordable, and the
     * state it sees is the settled state at that instant. When it returns true the clock stays at
     * the millisecond where the condition became true; otherwise the clock ends at the deadline.
     *
     * @return whether the condition became true
     */
    public boolean runUntil(BooleanSupplier condition, Duration maxVirtualTime) {
        Objects.requireNonNull(condition, "condition");
        return run(deadline(maxVirtualTime), condition);
    }

    /**
     * Runs until no event is queued or {@code maxVirtualTime} has passed. Nodes with periodic timers
     * (keepalive, gossip) never go idle, so this is mostly for tests of the simulator itself.
     *
     * @return whether the queue became empty
     */
    public boolean runUntilIdle(Duration maxVirtualTime) {
        return run(deadline(maxVirtualTime), () -> queue.liveSize() == 0);
    }

    /**
     * Runs until {@code future} is done, then returns its value the way {@link CompletableFuture#join}
     * does. This replaces {@code join()} in tests, which would block forever because only a run can
     * complete the future.
     *
     * @throws SimulationException if the future is not done within {@code maxVirtualTime}
     */
    public <T> T runUntilDone(CompletableFuture<T> future, Duration maxVirtualTime) {
        if (!runUntil(future::isDone, maxVirtualTime)) {
            throw new SimulationException("future not done after " + maxVirtualTime + " of virtual time");
        }
        return future.join();
    }

    @Override
    public String toString() {
        return "Simulation[seed=" + seed + ", now=" + now() + "]";
    }

    // ---- package-private plumbing for SimRuntime and SimNetwork ----

    Object lock() {
        return lock;
    }

    /** Queues {@code action} {@code delayMillis} from now (negative means now) for {@code owner}. */
    Task enqueue(long delayMillis, Runnable action, TaskOwner owner) {
        synchronized (lock) {
            return queue.add(plus(now, Math.max(0, delayMillis)), action, owner);
        }
    }

    /** Queues a simulation-wide event at absolute time {@code timeMillis}, not earlier than now. */
    Task enqueueAt(long timeMillis, Runnable action) {
        synchronized (lock) {
            return queue.add(Math.max(now, timeMillis), action, null);
        }
    }

    /** True when the calling thread is running an event of {@code owner}. */
    boolean isRunning(TaskOwner owner) {
        // Reads without the lock: driver and current are only written by the driving thread, and the
        // answer only matters to that thread.
        return current == owner && driver == Thread.currentThread();
    }

    void close(SimRuntime runtime, TaskOwner owner) {
        synchronized (lock) {
            if (owner.isClosed()) {
                return;
            }
            queue.close(owner);
        }
        log.debug("runtime {} closed at {}", runtime.name(), now());
    }

    /** Closes the open runtime named {@code name}, if any: used by {@link SimNetwork#crash}. */
    void closeRuntime(String name) {
        synchronized (lock) {
            SimRuntime r = runtimes.get(name);
            if (r != null) {
                r.close();
            }
        }
    }

    int heapSize() {
        synchronized (lock) {
            return queue.heapSize();
        }
    }

    // ---- the loop ----

    private boolean run(long deadline, BooleanSupplier condition) {
        synchronized (lock) {
            enterRun();
            try {
                if (condition != null && condition.getAsBoolean()) {
                    return true;
                }
                long t;
                while ((t = queue.nextTime()) <= deadline) {
                    now = t;
                    // Everything due at t, including what these events queue for t themselves.
                    do {
                        runTask(queue.poll());
                    } while (queue.nextTime() == t);
                    if (condition != null && condition.getAsBoolean()) {
                        return true;
                    }
                }
                if (deadline > now) {
                    now = deadline;
                }
                return false;
            } finally {
                exitRun();
            }
        }
    }

    private void enterRun() {
        if (driver != null) {
            throw new IllegalStateException("the simulation is already running; a simulated task must not run it");
        }
        driver = Thread.currentThread();
    }

    private void exitRun() {
        driver = null;
        current = null;
    }

    private void runTask(Task task) {
        current = task.owner();
        try {
            task.action().run();
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable e) {
            String who = task.owner() == null ? "simulation" : "node " + task.owner().name();
            if (failOnTaskException) {
                throw new SimulationException("event of " + who + " failed at " + now() + " (+" + elapsed().toMillis() + " ms)", e);
            }
            taskFailures++;
            log.warn("event of {} failed at {}", who, now(), e);
        } finally {
            current = null;
            eventsRun++;
        }
    }

    private long deadline(Duration duration) {
        long millis = duration.isNegative() ? 0 : saturatedMillis(duration);
        return Math.min(MAX_TIME, plus(now, millis));
    }

    private static long saturatedMillis(Duration d) {
        try {
            return d.toMillis();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    private static long plus(long a, long b) {
        long r = a + b;
        // Saturate instead of wrapping into the past.
        return ((a ^ r) & (b ^ r)) < 0 ? MAX_TIME : Math.min(r, MAX_TIME);
    }
}
