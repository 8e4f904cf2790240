package dev.meshkit.transport.ws.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.Iterator;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread that serves all connections a transport dialled: it finishes connects, reads,
 * and writes what a sender could not write at once. Senders write on their own thread while the
 * socket takes the bytes, so in the usual case a frame goes out without any hand-off.
 */
final class ClientSelector implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(ClientSelector.class);
    /** One read buffer for all connections: they are served one at a time. */
    private static final int READ_BUFFER_BYTES = 64 * 1024;
    private static final long STOP_WAIT_MILLIS = 1_000;

    private final Selector selector;
    private final Thread thread;
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(READ_BUFFER_BYTES);
    private volatile boolean running = true;

    private ClientSelector(Selector selector, String name) {
        this.selector = selector;
        this.thread = new Thread(this, name);
        thread.setDaemon(true);
    }

    static ClientSelector start(String name) throws IOException {
        ClientSelector s = new ClientSelector(Selector.open(), name);
        s.thread.start();
        return s;
    }

    Selector selector() {
        return selector;
    }

    /** False once the thread has ended, whether stopped or failed. */
    boolean isAlive() {
        return running && thread.isAlive();
    }

    boolean inThread() {
        return Thread.currentThread() == thread;
    }

    /** Runs {@code task} on the selector thread; dropped once the selector has stopped. */
    void execute(Runnable task) {
        tasks.add(task);
        selector.wakeup();
    }

    /** Makes a select in progress return, so it sees changed interest sets. */
    void wakeup() {
        selector.wakeup();
    }

    /** Stops the thread; connections still registered are dropped without a close handshake. */
    void stop() {
        running = false;
        selector.wakeup();
        if (!inThread()) {
            try {
                thread.join(STOP_WAIT_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void run() {
        try {
            while (running) {
                selector.select();
                Runnable task;
                while ((task = tasks.poll()) != null) {
                    runGuarded(task);
                }
                Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
                while (keys.hasNext()) {
                    SelectionKey key = keys.next();
                    keys.remove();
                    serve(key);
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.error("selector of outbound connections failed; dropping them", e);
        } finally {
            running = false;
            for (SelectionKey key : selector.keys()) {
                ((ClientConnection) key.attachment()).abort();
            }
            try {
                selector.close();
            } catch (IOException e) {
                LOG.debug("closing the selector failed", e);
            }
            tasks.clear();
        }
    }

    private void serve(SelectionKey key) {
        ClientConnection c = (ClientConnection) key.attachment();
        try {
            if (key.isConnectable()) {
                c.onConnectable();
            }
            if (key.isValid() && key.isReadable()) {
                c.onReadable(readBuffer);
            }
            if (key.isValid() && key.isWritable()) {
                c.onWritable();
            }
        } catch (CancelledKeyException e) {
            // Closed from another thread meanwhile; that thread reported it.
        } catch (RuntimeException e) {
            LOG.warn("{} failed; dropping it", c, e);
            c.lost(e);
        }
    }

    private static void runGuarded(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException e) {
            LOG.warn("task on the selector of outbound connections failed", e);
        }
    }
}
