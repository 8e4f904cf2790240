package dev.meshkit.api.spi;

import java.security.SecureRandom;
import java.util.concurrent.Executor;
import java.util.random.RandomGenerator;

/**
 * The time, randomness and threads one node's protocol code runs on.
 *
 * <p>All protocol state of a node is touched only by tasks on its event loop, one at a time, so
 * protocol code needs no locks. A simulator supplies a runtime with virtual time and a seeded random
 * source, and the same protocol code runs deterministically.
 */
public interface NodeRuntime extends AutoCloseable {

    /** Current time in epoch milliseconds: for timestamps that other nodes read. */
    long nowMillis();

    /**
     * Milliseconds on a clock that never jumps: for timeouts and durations, which a wall-clock step
     * must not trip. Only differences between two readings mean anything. A runtime whose
     * {@link #nowMillis()} never jumps (a simulator's virtual time) may return it.
     */
    default long monotonicMillis() {
        return nowMillis();
    }

    /** Runs {@code task} on the event loop, after the tasks already queued. Callable from any thread. */
    void execute(Runnable task);

    /** Runs {@code task} on the event loop after {@code delayMillis}. Callable from any thread. */
    Cancellable schedule(long delayMillis, Runnable task);

    /** True when the calling thread is this runtime's event loop. */
    boolean inEventLoop();

    /** The random source for protocol decisions (jitter, peer choice). Use on the event loop only. */
    RandomGenerator random();

    /**
     * Where the node's unpredictable bytes come from (handshake challenges, puzzle seeds); asked once,
     * when the node is built. A simulator returns a generator seeded from its own seed, so that the
     * choices those bytes break ties in repeat run after run; anything else keeps the default.
     */
    default SecureRandom secureRandom() {
        return new SecureRandom();
    }

    /**
     * Where CPU-heavy work (signature checks) runs. Results must be handed back with
     * {@link #execute}. A simulator may run the work inline.
     */
    Executor workers();

    /** Stops the event loop and the workers; queued tasks are dropped. */
    @Override
    void close();
}
