package dev.meshkit.transport.ws.internal;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Rescues replies that Java-WebSocket's server would leave sitting in a connection's out-queue.
 *
 * <p>Why this exists: in Java-WebSocket 1.6.0 a thread that queues data sets the connection's write
 * interest and wakes the selector, but the selector thread, finishing a write pass it started
 * before that data arrived, then sets the interest back to read-only. Nothing is lost, but nothing
 * is written either until some later event (another send, or the library's keep-alive ping, which
 * MeshKit switches off). A request/reply exchange then hangs.
 *
 * <p>Why a watchdog: the selector clears the interest after the last point where the library calls
 * into code we supply, so no hook can close the window, and the sender cannot tell whether the
 * selector is inside it. The stuck state, however, is stable and easy to recognise: data in the
 * out-queue and no write interest. So while any connection has unwritten data, this class looks
 * every millisecond and, where it sees that state, asks for the write again. A real stall costs at
 * most about one period; asking when it was not needed would cost only a spurious selector wake-up.
 * When no connection has unwritten data, nothing is scheduled.
 */
final class WriteWatchdog {
    private static final long PERIOD_MICROS = 1_000;
    private static final long CONFIRM_NANOS = 20_000;

    private final WsServer server;
    private final ScheduledExecutorService timer;
    // Value: the arming sequence number, so a check that saw an empty queue cannot disarm a later send.
    private final Map<ServerConnection, Long> armed = new ConcurrentHashMap<>();
    private final AtomicLong sequence = new AtomicLong();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final AtomicLong rescues = new AtomicLong();

    WriteWatchdog(WsServer server, ScheduledExecutorService timer) {
        this.server = server;
        this.timer = timer;
    }

    /** Called after each frame queued on {@code connection}. */
    void arm(ServerConnection connection) {
        armed.put(connection, sequence.incrementAndGet());
        if (scheduled.compareAndSet(false, true)) {
            schedule();
        }
    }

    /** How many stalled writes were restarted; a figure for tests and diagnostics. */
    long rescues() {
        return rescues.get();
    }

    private void schedule() {
        try {
            timer.schedule(this::check, PERIOD_MICROS, TimeUnit.MICROSECONDS);
        } catch (RejectedExecutionException e) {
            // The transport is closing; its connections are being closed as well.
            scheduled.set(false);
        }
    }

    private void check() {
        for (Map.Entry<ServerConnection, Long> entry : armed.entrySet()) {
            ServerConnection connection = entry.getKey();
            switch (connection.writeState()) {
                case IDLE:
                    armed.remove(connection, entry.getValue());
                    break;
                case STALLED:
                    // A sender sits in that state too, for an instant, between queuing and asking for
                    // the write; looking again a moment later tells the two apart.
                    LockSupport.parkNanos(CONFIRM_NANOS);
                    if (connection.writeState() == ServerConnection.WriteState.STALLED) {
                        rescues.incrementAndGet();
                        server.onWriteDemand(connection.socket());
                    }
                    break;
                default:
                    // Write interest is set: the selector writes as soon as the socket takes more.
                    break;
            }
        }
        scheduled.set(false);
        if (!armed.isEmpty() && scheduled.compareAndSet(false, true)) {
            schedule();
        }
    }
}
