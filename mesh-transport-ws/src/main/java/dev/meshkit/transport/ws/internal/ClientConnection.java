package dev.meshkit.transport.ws.internal;

import dev.meshkit.api.Endpoint;
import dev.meshkit.api.spi.Connection;
import dev.meshkit.api.spi.ConnectionHandler;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A connection this node dialled: a WebSocket client on a non-blocking socket served by the
 * transport's {@link ClientSelector}.
 *
 * <p>Sending: a frame is masked into one array and written on the sender's thread; only what the
 * socket does not take at once waits in a queue, which the selector thread drains when the socket
 * can take more. {@link #queuedBytes()} is the payload of the frames not fully written, bounded by
 * {@code maxQueuedBytes}.
 *
 * <p>Receiving: the selector thread reads, and hands each whole message to the handler before it
 * reads again, so a slow handler slows the peer down through TCP instead of filling memory.
 */
final class ClientConnection extends WsConnection implements FrameReader.Sink {
    private static final Logger LOG = LoggerFactory.getLogger(ClientConnection.class);
    private static final int CONNECTING = 0;
    private static final int OPEN = 1;
    private static final int ABANDONED = 2;
    private static final int MASK_KEYS_PER_DRAW = 64;
    /** Sent instead of a code a close frame may not carry; the code itself goes into the reason. */
    private static final int POLICY = 1008;

    private final WsTransport transport;
    private final Endpoint endpoint;
    private final ClientSelector selector;
    private final long maxQueuedBytes;
    private final long closeTimeoutMillis;
    private final UpgradeHandshake handshake;
    private final FrameReader reader;
    private final Random random;
    private final AtomicInteger phase = new AtomicInteger(CONNECTING);
    private final CompletableFuture<Connection> dialed = new CompletableFuture<>();
    /** Completes once the socket is gone, however it went. */
    private final CompletableFuture<Void> terminated = new CompletableFuture<>();
    private final SocketChannel channel;
    private volatile SelectionKey key;

    // Outbound state, guarded by out.
    private final Object out = new Object();
    private final ArrayDeque<Pending> queue = new ArrayDeque<>();
    private long queued;
    private boolean closeQueued;
    private boolean closeWhenWritten;
    /** The latest ping not answered yet because frames were waiting; answered once they are written. */
    private byte[] pendingPong;
    private final byte[] maskKeys = new byte[4 * MASK_KEYS_PER_DRAW];
    private int maskKeysUsed = maskKeys.length;

    /** Bytes for the socket, and how much payload they count for against the bound. */
    private record Pending(ByteBuffer bytes, int payload) {
    }

    ClientConnection(WsTransport transport, Endpoint endpoint, ConnectionHandler handler, ClientSelector selector,
            Random random) throws IOException {
        super(handler, false);
        this.transport = transport;
        this.endpoint = endpoint;
        this.selector = selector;
        this.random = random;
        this.maxQueuedBytes = transport.options().maxQueuedBytes();
        this.closeTimeoutMillis = transport.options().connectTimeoutMillis();
        this.handshake = new UpgradeHandshake(endpoint, random);
        this.reader = new FrameReader(transport.options().maxFrameBytes());
        this.channel = SocketChannel.open();
        setRemoteAddress(format(endpoint.host(), endpoint.port()));
    }

    /** Completes with this connection once the handshake succeeded, or with the reason it failed. */
    CompletableFuture<Connection> dialed() {
        return dialed;
    }

    CompletableFuture<Void> terminated() {
        return terminated;
    }

    /** Starts connecting to {@code address}; the outcome arrives through {@link #dialed()}. */
    void connect(InetSocketAddress address) {
        try {
            channel.configureBlocking(false);
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            boolean connected = channel.connect(address);
            selector.execute(() -> register(connected));
        } catch (IOException | RuntimeException e) {
            fail(e);
        }
    }

    private void register(boolean connected) {
        if (phase.get() != CONNECTING) {
            return;
        }
        try {
            key = channel.register(selector.selector(), connected ? SelectionKey.OP_READ : SelectionKey.OP_CONNECT, this);
            if (connected) {
                sendRequest();
            }
        } catch (IOException | RuntimeException e) {
            fail(e);
        }
    }

    // ---- selector thread ----

    void onConnectable() {
        try {
            if (channel.finishConnect()) {
                key.interestOps(SelectionKey.OP_READ);
                sendRequest();
            }
        } catch (IOException e) {
            fail(e);
        }
    }

    private void sendRequest() {
        IOException failure;
        synchronized (out) {
            failure = write(handshake.request(), 0);
        }
        if (failure != null) {
            fail(failure);
        }
    }

    void onReadable(ByteBuffer buffer) {
        buffer.clear();
        int n;
        try {
            n = channel.read(buffer);
        } catch (IOException e) {
            lost(e);
            return;
        }
        if (n < 0) {
            ended();
            return;
        }
        buffer.flip();
        try {
            if (phase.get() == CONNECTING) {
                if (!handshake.read(buffer)) {
                    return;
                }
                opened();
            }
            if (phase.get() == OPEN) {
                reader.read(buffer, this);
            }
        } catch (UpgradeHandshake.Refused e) {
            fail(e);
        } catch (FrameReader.Violation e) {
            LOG.warn("{}: {}; closing", this, e.getMessage());
            closeLocally(e.code(), e.getMessage());
        }
    }

    private void opened() {
        if (!phase.compareAndSet(CONNECTING, OPEN)) {
            return;
        }
        deliverOpen();
        if (!dialed.complete(this)) {
            abort();
        }
    }

    void onWritable() {
        IOException failure;
        boolean finish = false;
        synchronized (out) {
            failure = drain();
            if (failure == null && queue.isEmpty() && pendingPong != null && !closeQueued) {
                byte[] pong = pendingPong;
                pendingPong = null;
                failure = write(ClientFrames.frame(ClientFrames.PONG, pong, nextMaskKey()), 0);
            }
            if (failure == null && queue.isEmpty()) {
                key.interestOps(SelectionKey.OP_READ);
                finish = closeWhenWritten;
            }
        }
        if (failure != null) {
            lost(failure);
        } else if (finish) {
            finish();
        }
    }

    @Override
    public void onMessage(byte[] data) {
        if (isOpen()) {
            deliverFrame(data);
        }
    }

    @Override
    public void onPing(byte[] payload) {
        IOException failure = null;
        synchronized (out) {
            if (closeQueued) {
                return;
            }
            if (queue.isEmpty()) {
                failure = write(ClientFrames.frame(ClientFrames.PONG, payload, nextMaskKey()), 0);
            } else {
                // The RFC lets us answer only the latest ping; keeping one bounds what a peer that
                // pings and never reads can make us hold.
                pendingPong = payload;
            }
        }
        if (failure != null) {
            lost(failure);
        }
    }

    @Override
    public void onClose(int code, String reason) {
        boolean answered;
        boolean written;
        IOException failure;
        synchronized (out) {
            answered = closeQueued;
            closeQueued = true;
            // Our close went out first, so this frame is the peer's confirmation: the handshake is done.
            failure = answered ? null : write(code == FrameReader.NO_STATUS
                    ? ClientFrames.frame(ClientFrames.CLOSE, new byte[0], nextMaskKey())
                    : ClientFrames.close(code, "", nextMaskKey()), 0);
            written = queue.isEmpty();
            closeWhenWritten = true;
        }
        if (answered) {
            // Our close frame may still be partly queued; the socket goes once it is written.
            if (written) {
                finish();
            } else {
                finishLater();
            }
            return;
        }
        markClosed();
        deliverClose(code, reason, true);
        if (failure != null || written) {
            finish();
        } else {
            finishLater();
        }
    }

    /** The peer closed the socket: the end of a close handshake, or a loss if there was none. */
    private void ended() {
        boolean closing;
        synchronized (out) {
            closing = closeQueued;
        }
        if (phase.get() == CONNECTING) {
            fail(new IOException("connection closed during the handshake"));
        } else if (closing) {
            finish();
        } else {
            lost(new IOException("connection closed without a close frame"));
        }
    }

    // ---- Connection ----

    @Override
    public boolean send(byte[] frame) {
        IOException failure;
        synchronized (out) {
            if (!isOpen() || closeQueued || queued + frame.length > maxQueuedBytes) {
                return false;
            }
            failure = write(ClientFrames.frame(ClientFrames.BINARY, frame, nextMaskKey()), frame.length);
        }
        if (failure != null) {
            lost(failure);
            return false;
        }
        return true;
    }

    @Override
    public long queuedBytes() {
        synchronized (out) {
            return isOpen() ? queued : 0;
        }
    }

    @Override
    public void close(int code, String reason) {
        if (phase.get() == CONNECTING) {
            fail(new ClosedChannelException());
            return;
        }
        closeLocally(code, reason == null ? "" : reason);
    }

    private void closeLocally(int code, String reason) {
        if (!markClosed()) {
            return;
        }
        boolean sendable = FrameReader.receivable(code);
        // Reported first, as the server side does: the peer's answer must not overtake this report.
        deliverClose(code, reason, false);
        IOException failure;
        synchronized (out) {
            // The peer's close may have come in meanwhile and been answered: one close frame only.
            failure = closeQueued ? null : write(ClientFrames.close(sendable ? code : POLICY,
                    sendable ? reason : code + " " + reason, nextMaskKey()), 0);
            closeQueued = true;
        }
        if (failure != null) {
            finish();
        } else {
            finishLater();
        }
    }

    /** Gives up a dial that took too long; false if the connection opened first. */
    boolean abandon(Throwable why) {
        return fail(why);
    }

    /** Fails a dial that has not opened; false if it had opened (or failed) already. */
    private boolean fail(Throwable why) {
        if (!phase.compareAndSet(CONNECTING, ABANDONED)) {
            return false;
        }
        closeChannel();
        dialed.completeExceptionally(why);
        terminated.complete(null);
        return true;
    }

    /** The connection broke: reported as 1006 unless a close was reported already. */
    void lost(Throwable why) {
        if (phase.get() == CONNECTING) {
            fail(why);
            return;
        }
        markClosed();
        synchronized (out) {
            queue.clear();
            queued = 0;
        }
        deliverClose(ABNORMAL, describe(why), true);
        finish();
    }

    /** Drops the socket at once; used when the whole transport goes away. */
    void abort() {
        if (phase.get() == CONNECTING) {
            fail(new ClosedChannelException());
            return;
        }
        markClosed();
        // Nothing is reported if a close was reported already.
        deliverClose(ABNORMAL, "connection dropped", false);
        finish();
    }

    private void finish() {
        closeChannel();
        terminated.complete(null);
    }

    private void finishLater() {
        transport.scheduleQuietly(() -> {
            if (!terminated.isDone()) {
                LOG.debug("{} did not finish closing in time; dropping the socket", endpoint);
                finish();
            }
        }, closeTimeoutMillis);
    }

    private void closeChannel() {
        try {
            channel.close();
        } catch (IOException e) {
            LOG.debug("closing {} failed", this, e);
        }
        if (!selector.inThread()) {
            // A registered channel releases its socket at the selector's next select.
            selector.wakeup();
        }
    }

    @Override
    void closed() {
        transport.forget(this);
    }

    // ---- writing, with out held ----

    /** Writes what the socket takes now and queues the rest; an I/O error is returned, not thrown. */
    private IOException write(byte[] bytes, int payload) {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        if (queue.isEmpty()) {
            try {
                channel.write(b);
            } catch (IOException e) {
                return e;
            }
            if (!b.hasRemaining()) {
                return null;
            }
            armWrite();
        }
        queue.add(new Pending(b, payload));
        queued += payload;
        return null;
    }

    private IOException drain() {
        while (!queue.isEmpty()) {
            Pending p = queue.peek();
            try {
                channel.write(p.bytes());
            } catch (IOException e) {
                return e;
            }
            if (p.bytes().hasRemaining()) {
                return null;
            }
            queue.poll();
            queued -= p.payload();
        }
        return null;
    }

    private void armWrite() {
        SelectionKey k = key;
        if (k == null) {
            return;
        }
        k.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
        if (!selector.inThread()) {
            selector.wakeup();
        }
    }

    private int nextMaskKey() {
        if (maskKeysUsed == maskKeys.length) {
            random.nextBytes(maskKeys);
            maskKeysUsed = 0;
        }
        int i = maskKeysUsed;
        maskKeysUsed += 4;
        return ((maskKeys[i] & 0xFF) << 24) | ((maskKeys[i + 1] & 0xFF) << 16)
                | ((maskKeys[i + 2] & 0xFF) << 8) | (maskKeys[i + 3] & 0xFF);
    }

    static String describe(Throwable error) {
        Throwable t = error;
        while ((t instanceof java.util.concurrent.CompletionException
                || t instanceof java.util.concurrent.ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        String message = t.getMessage();
        return message == null ? t.getClass().getSimpleName() : message;
    }

    @Override
    public String toString() {
        return "ws connection to " + endpoint;
    }
}
