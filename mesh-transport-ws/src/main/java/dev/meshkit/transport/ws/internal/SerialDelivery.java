package dev.meshkit.transport.ws.internal;

import java.util.ArrayDeque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one connection's handler calls one at a time and in submission order, on whichever thread
 * submits while no other thread is delivering.
 *
 * <p>Running on the submitting thread (rather than handing off to an executor) keeps the network
 * thread busy for as long as the handler works, so a slow handler slows reading from that socket
 * instead of piling frames up in memory. A call submitted from inside a handler call (for example
 * {@code close} inside {@code onFrame}) is queued and runs after the current call returns, so calls
 * never nest.
 */
final class SerialDelivery {
    private static final Logger LOG = LoggerFactory.getLogger(SerialDelivery.class);

    private final ArrayDeque<Runnable> queue = new ArrayDeque<>();
    private boolean delivering;

    void submit(Runnable call) {
        synchronized (this) {
            queue.add(call);
            if (delivering) {
                return;
            }
            delivering = true;
        }
        boolean done = false;
        try {
            while (true) {
                Runnable next;
                synchronized (this) {
                    next = queue.poll();
                    if (next == null) {
                        delivering = false;
                        done = true;
                        return;
                    }
                }
                try {
                    next.run();
                } catch (RuntimeException e) {
                    // A faulty handler must not stop later calls (above all onClose) from being made.
                    LOG.warn("connection handler failed", e);
                }
            }
        } finally {
            if (!done) {
                // An Error escaped: let a later submit take over instead of wedging the connection.
                synchronized (this) {
                    delivering = false;
                }
            }
        }
    }
}
