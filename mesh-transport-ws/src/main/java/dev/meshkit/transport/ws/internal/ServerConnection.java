package dev.meshkit.transport.ws.internal;

import dev.meshkit.api.spi.ConnectionHandler;
import java.nio.ByteBuffer;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.SelectionKey;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.java_websocket.WebSocketImpl;
import org.java_websocket.framing.BinaryFrame;

/**
 * A connection accepted by a {@link WsServer}.
 *
 * <p>Java-WebSocket's per-connection out-queue has no bound, so this class puts its own encoded
 * frames on it and counts them: a frame's bytes are added when it is queued and subtracted as the
 * selector thread writes them (see {@link CountingChannel}). Frames are recognised on the way out by
 * identity, so control frames the library queues itself (pongs, close) never disturb the count.
 */
final class ServerConnection extends WsConnection {
    private final WsServer server;
    private final WebSocketImpl socket;
    private final long maxQueuedBytes;
    private final AtomicLong queued = new AtomicLong();
    // Our frames in the order they sit in the library's out-queue; written only under queueLock.
    private final Queue<ByteBuffer> unwritten = new ConcurrentLinkedQueue<>();
    private final Object queueLock = new Object();

    ServerConnection(WsServer server, WebSocketImpl socket, ConnectionHandler handler, long maxQueuedBytes) {
        super(handler, true);
        this.server = server;
        this.socket = socket;
        this.maxQueuedBytes = maxQueuedBytes;
    }

    WebSocketImpl socket() {
        return socket;
    }

    void opened() {
        setRemoteAddress(format(socket.getRemoteSocketAddress()));
        deliverOpen();
    }

    @Override
    public boolean send(byte[] frame) {
        // Cheap early refusal before encoding; the exact check, with header bytes, follows.
        if (!isOpen() || queued.get() + frame.length > maxQueuedBytes) {
            return false;
        }
        BinaryFrame data = new BinaryFrame();
        data.setFin(true);
        // The encoder copies the payload into a fresh buffer, so the caller may reuse its array.
        data.setPayload(ByteBuffer.wrap(frame));
        ByteBuffer wire = socket.getDraft().createBinaryFrame(data);
        int size = wire.remaining();
        synchronized (queueLock) {
            // Checked under the lock so that no frame lands on the queue after the close frame.
            if (!isOpen() || !socket.isOpen() || queued.get() + size > maxQueuedBytes) {
                return false;
            }
            queued.addAndGet(size);
            unwritten.add(wire);
            socket.outQueue.add(wire);
        }
        server.onWriteDemand(socket);
        server.watchdog().arm(this);
        return true;
    }

    /** Called on the selector thread after it wrote {@code written} bytes of {@code buffer}. */
    void wrote(ByteBuffer buffer, int written) {
        if (unwritten.peek() == buffer) {
            queued.addAndGet(-written);
            if (!buffer.hasRemaining()) {
                unwritten.poll();
            }
        }
    }

    @Override
    public long queuedBytes() {
        // Once closed, whatever the library still flushes or drops is no longer the caller's concern.
        return isOpen() ? queued.get() : 0;
    }

    @Override
    public void close(int code, String reason) {
        if (!markClosed()) {
            return;
        }
        String why = truncate(reason);
        // Reported before the library acts: it may report the same close (as 1006, if the peer drops
        // the socket at once) from its own thread, and the first report is the one the handler gets.
        deliverClose(code, why, false);
        try {
            // The library sends our queued frames before the close frame, then waits for the peer's reply.
            socket.close(code, why);
        } catch (RuntimeException e) {
            // A code the protocol does not allow on the wire: drop the socket instead.
            socket.closeConnection(code, why);
        }
        server.forceCloseLater(this, code, why);
    }

    /** Where the watchdog stands on this connection's unwritten bytes. */
    enum WriteState { IDLE, WAITING, STALLED }

    WriteState writeState() {
        if (socket.outQueue.isEmpty()) {
            return WriteState.IDLE;
        }
        SelectionKey key = socket.getSelectionKey();
        try {
            if (key == null || !key.isValid()) {
                return WriteState.IDLE;
            }
            return (key.interestOps() & SelectionKey.OP_WRITE) == 0 ? WriteState.STALLED : WriteState.WAITING;
        } catch (CancelledKeyException e) {
            return WriteState.IDLE;
        }
    }

    @Override
    void closed() {
        synchronized (queueLock) {
            unwritten.clear();
        }
        server.forget(this);
    }
}
