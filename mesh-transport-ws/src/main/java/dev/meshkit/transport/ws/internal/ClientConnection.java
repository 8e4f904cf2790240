package dev.meshkit.transport.ws.internal;

import dev.meshkit.api.Endpoint;
import dev.meshkit.api.spi.ConnectionHandler;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A connection this node dialled, carried by the JDK's WebSocket client.
 *
 * <p>The JDK client allows one outstanding binary send at a time, so frames wait in a queue of our
 * own; its size is what {@link #queuedBytes()} reports and what {@code maxQueuedBytes} bounds. A
 * frame leaves the count when the JDK reports it written. The count is of payload bytes: the JDK
 * does the framing and does not say how many header bytes it adds.
 *
 * <p>Inbound messages arrive in parts; they are reassembled here and the size limit applies to the
 * whole message. One more message is requested only after the handler has taken the previous one,
 * so a slow handler slows the peer down through TCP instead of filling memory.
 */
final class ClientConnection extends WsConnection implements WebSocket.Listener {
    private static final Logger LOG = LoggerFactory.getLogger(ClientConnection.class);
    private static final int CONNECTING = 0;
    private static final int OPEN = 1;
    private static final int ABANDONED = 2;
    /** Policy violation: the closest code the JDK lets a client send when ours is one it refuses. */
    private static final int POLICY = 1008;

    private final WsTransport transport;
    private final Endpoint endpoint;
    private final int maxFrameBytes;
    private final long maxQueuedBytes;
    private final long closeTimeoutMillis;
    private final AtomicInteger phase = new AtomicInteger(CONNECTING);
    /** Completes once the socket is gone, however it went. */
    private final CompletableFuture<Void> terminated = new CompletableFuture<>();
    private volatile WebSocket socket;

    // Outbound state, guarded by sendLock.
    private final Object sendLock = new Object();
    private final ArrayDeque<byte[]> pending = new ArrayDeque<>();
    private boolean writing;
    private long queued;
    private boolean closeRequested;
    private int closeCode;
    private String closeReason;

    // Inbound reassembly; the JDK calls the listener serially, one part per request(1).
    private byte[] assembly = new byte[256];
    private int assembled;
    private StringBuilder text;

    ClientConnection(WsTransport transport, Endpoint endpoint, ConnectionHandler handler, long closeTimeoutMillis) {
        super(handler, false);
        this.transport = transport;
        this.endpoint = endpoint;
        this.maxFrameBytes = transport.options().maxFrameBytes();
        this.maxQueuedBytes = transport.options().maxQueuedBytes();
        this.closeTimeoutMillis = closeTimeoutMillis;
        // The JDK client does not expose the socket; the dialled endpoint is the remote address.
        setRemoteAddress(format(endpoint.host(), endpoint.port()));
    }

    CompletableFuture<Void> terminated() {
        return terminated;
    }

    /**
     * Gives up a dial that took too long. False if the connection opened first, in which case the
     * dial is about to succeed after all.
     */
    boolean abandon() {
        if (!phase.compareAndSet(CONNECTING, ABANDONED)) {
            return false;
        }
        WebSocket ws = socket;
        if (ws != null) {
            ws.abort();
        }
        terminated.complete(null);
        return true;
    }

    /** The dial failed: the handler never saw this connection, so there is nothing to report. */
    void dialFailed() {
        phase.set(ABANDONED);
        terminated.complete(null);
    }

    // ---- WebSocket.Listener: calls come from the transport's executor, one at a time ----

    @Override
    public void onOpen(WebSocket webSocket) {
        socket = webSocket;
        if (!phase.compareAndSet(CONNECTING, OPEN)) {
            webSocket.abort();
            return;
        }
        deliverOpen();
        webSocket.request(1);
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
        if (!isOpen()) {
            return discard(webSocket);
        }
        int size = data.remaining();
        if ((long) assembled + size > maxFrameBytes) {
            tooBig((long) assembled + size);
            return discard(webSocket);
        }
        if (assembled == 0 && last) {
            // The usual case, a message in one part: no reassembly needed.
            byte[] frame = new byte[size];
            data.get(frame);
            deliverFrame(frame);
            webSocket.request(1);
            return null;
        }
        if (assembled + size > assembly.length) {
            int grown = (int) Math.min(maxFrameBytes, Math.max((long) assembly.length * 2, (long) assembled + size));
            byte[] bigger = new byte[grown];
            System.arraycopy(assembly, 0, bigger, 0, assembled);
            assembly = bigger;
        }
        data.get(assembly, assembled, size);
        assembled += size;
        if (last) {
            byte[] frame = new byte[assembled];
            System.arraycopy(assembly, 0, frame, 0, assembled);
            assembled = 0;
            if (assembly.length > 64 * 1024) {
                // Do not keep a large buffer alive for a connection that rarely needs one.
                assembly = new byte[256];
            }
            deliverFrame(frame);
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        // Text is not what MeshKit sends, but a peer may: it is accepted as its UTF-8 bytes.
        if (!isOpen()) {
            return discard(webSocket);
        }
        if (text == null) {
            text = new StringBuilder();
        }
        text.append(data);
        // Each char is at least one byte, so this bounds memory before the exact check below.
        if (text.length() > maxFrameBytes) {
            tooBig(text.length());
            return discard(webSocket);
        }
        if (last) {
            byte[] frame = text.toString().getBytes(StandardCharsets.UTF_8);
            text = null;
            if (frame.length > maxFrameBytes) {
                tooBig(frame.length);
                return discard(webSocket);
            }
            deliverFrame(frame);
        }
        webSocket.request(1);
        return null;
    }

    /**
     * After this side closed, whatever the peer still sends is read and dropped: the peer's close
     * frame, which ends the handshake, only arrives if we keep asking for messages.
     */
    private CompletionStage<?> discard(WebSocket webSocket) {
        assembled = 0;
        text = null;
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        // If this side closed first, this is the peer's confirmation and the handler already knows.
        markClosed();
        deliverClose(statusCode, reason, true);
        terminated.complete(null);
        // Returning null lets the JDK answer the close (if we have not) and release the socket.
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        markClosed();
        deliverClose(ABNORMAL, describe(error), true);
        webSocket.abort();
        terminated.complete(null);
    }

    // ---- Connection ----

    @Override
    public boolean send(byte[] frame) {
        // The JDK reads the buffer after send returns; a copy keeps the caller free to reuse its array.
        byte[] copy = frame.clone();
        synchronized (sendLock) {
            if (!isOpen() || closeRequested || queued + copy.length > maxQueuedBytes) {
                return false;
            }
            queued += copy.length;
            pending.add(copy);
            if (writing) {
                return true;
            }
            writing = true;
        }
        pump();
        return true;
    }

    @Override
    public long queuedBytes() {
        if (!isOpen()) {
            return 0;
        }
        synchronized (sendLock) {
            return queued;
        }
    }

    /** Hands queued frames to the JDK one at a time, looping rather than recursing when sends finish at once. */
    private void pump() {
        WebSocket ws = socket;
        while (true) {
            byte[] next;
            synchronized (sendLock) {
                next = pending.poll();
                if (next == null) {
                    writing = false;
                    if (closeRequested) {
                        break;
                    }
                    return;
                }
            }
            CompletableFuture<WebSocket> sent;
            try {
                sent = ws.sendBinary(ByteBuffer.wrap(next), true);
            } catch (RuntimeException e) {
                sent = CompletableFuture.failedFuture(e);
            }
            if (!sent.isDone()) {
                byte[] inFlight = next;
                sent.whenComplete((w, error) -> {
                    if (written(inFlight, error)) {
                        pump();
                    }
                });
                return;
            }
            if (!written(next, failure(sent))) {
                return;
            }
        }
        // The close waited for the queue to drain; the queue is empty now.
        sendClose();
    }

    private boolean written(byte[] frame, Throwable error) {
        synchronized (sendLock) {
            queued -= frame.length;
        }
        if (error != null) {
            lost(error);
            return false;
        }
        return true;
    }

    private void lost(Throwable error) {
        synchronized (sendLock) {
            pending.clear();
            writing = false;
        }
        markClosed();
        deliverClose(ABNORMAL, describe(error), true);
        WebSocket ws = socket;
        if (ws != null) {
            ws.abort();
        }
        terminated.complete(null);
    }

    @Override
    public void close(int code, String reason) {
        closeLocally(code, reason == null ? "" : reason);
    }

    private void tooBig(long size) {
        closeLocally(TOO_BIG, "frame of " + size + " bytes exceeds " + maxFrameBytes);
    }

    private void closeLocally(int code, String reason) {
        if (!markClosed()) {
            return;
        }
        boolean now;
        synchronized (sendLock) {
            closeRequested = true;
            closeCode = code;
            closeReason = reason;
            // Frames already accepted by send() go out before the close frame.
            now = !writing;
        }
        deliverClose(code, reason, false);
        if (now) {
            sendClose();
        }
        transport.scheduleQuietly(() -> {
            WebSocket ws = socket;
            if (ws != null && !terminated.isDone()) {
                LOG.debug("{} did not finish closing in time; dropping the socket", endpoint);
                ws.abort();
            }
            terminated.complete(null);
        }, closeTimeoutMillis);
    }

    private void sendClose() {
        WebSocket ws = socket;
        if (ws == null) {
            return;
        }
        int code;
        String reason;
        synchronized (sendLock) {
            code = closeCode;
            reason = closeReason;
        }
        if (!clientMaySend(code)) {
            // The JDK refuses to send some codes (1009 among them) from a client.
            reason = code + " " + reason;
            code = POLICY;
        }
        try {
            ws.sendClose(code, truncate(reason)).whenComplete((w, error) -> {
                if (error != null) {
                    ws.abort();
                    terminated.complete(null);
                }
            });
        } catch (RuntimeException e) {
            ws.abort();
            terminated.complete(null);
        }
    }

    /** Aborts the socket at once; used when the whole transport goes away. */
    void abort() {
        WebSocket ws = socket;
        if (ws != null) {
            ws.abort();
        }
        terminated.complete(null);
    }

    @Override
    void closed() {
        transport.forget(this);
    }

    private static boolean clientMaySend(int code) {
        return code == 1000 || code == 1001 || code == 1008 || code == 1011 || (code >= 3000 && code <= 4999);
    }

    private static Throwable failure(CompletableFuture<?> done) {
        try {
            done.join();
            return null;
        } catch (CompletionException | CancellationException e) {
            return e.getCause() != null ? e.getCause() : e;
        }
    }

    static String describe(Throwable error) {
        Throwable t = error;
        while ((t instanceof CompletionException || t instanceof java.util.concurrent.ExecutionException)
                && t.getCause() != null) {
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
