package dev.meshkit.transport.ws.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.meshkit.api.spi.Connection;
import dev.meshkit.api.spi.ConnectionHandler;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;

/**
 * A handler that records what happens and checks the handler contract as it goes: for each
 * connection onOpen first, onClose exactly once and last, and no two calls at the same time.
 */
final class Recorder implements ConnectionHandler {
    /** One handler call. */
    record Event(String kind, Connection connection, byte[] frame, int code, String reason, boolean remote) {
    }

    private static final long WAIT_SECONDS = 10;

    final BlockingQueue<Connection> opened = new LinkedBlockingQueue<>();
    final BlockingQueue<byte[]> frames = new LinkedBlockingQueue<>();
    final BlockingQueue<Event> closes = new LinkedBlockingQueue<>();
    final List<String> violations = new CopyOnWriteArrayList<>();
    private final java.util.Map<Connection, String> states = new java.util.concurrent.ConcurrentHashMap<>();
    private final java.util.Map<Connection, AtomicBoolean> busy = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile BiConsumer<Connection, byte[]> onFrame = (c, f) -> { };

    /** Replies to every frame with the same bytes. */
    static Recorder echo() {
        Recorder r = new Recorder();
        r.onFrame = (c, f) -> c.send(f);
        return r;
    }

    Recorder reacting(BiConsumer<Connection, byte[]> reaction) {
        this.onFrame = reaction;
        return this;
    }

    private void enter(Connection c, String kind) {
        if (!busy.computeIfAbsent(c, k -> new AtomicBoolean()).compareAndSet(false, true)) {
            violations.add(kind + " overlapped another call");
        }
        String state = states.get(c);
        if (kind.equals("open") && state != null) {
            violations.add("onOpen after " + state);
        }
        if (!kind.equals("open") && !"open".equals(state)) {
            violations.add(kind + " while " + state);
        }
    }

    private void leave(Connection c) {
        busy.get(c).set(false);
    }

    @Override
    public void onOpen(Connection connection) {
        enter(connection, "open");
        states.put(connection, "open");
        opened.add(connection);
        leave(connection);
    }

    @Override
    public void onFrame(Connection connection, byte[] frame) {
        enter(connection, "frame");
        frames.add(frame);
        try {
            onFrame.accept(connection, frame);
        } finally {
            leave(connection);
        }
    }

    @Override
    public void onClose(Connection connection, int code, String reason, boolean remote) {
        enter(connection, "close");
        states.put(connection, "closed");
        if (connection.isOpen()) {
            violations.add("isOpen() true in onClose");
        }
        closes.add(new Event("close", connection, null, code, reason, remote));
        leave(connection);
    }

    Connection awaitOpen() throws InterruptedException {
        Connection c = opened.poll(WAIT_SECONDS, TimeUnit.SECONDS);
        assertNotNull(c, "no connection opened");
        return c;
    }

    byte[] awaitFrame() throws InterruptedException {
        byte[] f = frames.poll(WAIT_SECONDS, TimeUnit.SECONDS);
        assertNotNull(f, "no frame arrived");
        return f;
    }

    Event awaitClose() throws InterruptedException {
        Event e = closes.poll(WAIT_SECONDS, TimeUnit.SECONDS);
        assertNotNull(e, "no onClose");
        return e;
    }

    void assertClose(int code, boolean remote) throws InterruptedException {
        Event e = awaitClose();
        assertEquals(code, e.code(), "close code (reason: " + e.reason() + ")");
        assertEquals(remote, e.remote(), "remote flag of close " + e.code());
    }

    /** Checks the contract held; waits briefly so a duplicate onClose would have shown up. */
    void assertClean() throws InterruptedException {
        Event extra = closes.poll(100, TimeUnit.MILLISECONDS);
        if (extra != null) {
            fail("unexpected extra onClose " + extra.code() + " " + extra.reason());
        }
        assertTrue(violations.isEmpty(), "handler contract broken: " + new ArrayList<>(violations));
    }
}
