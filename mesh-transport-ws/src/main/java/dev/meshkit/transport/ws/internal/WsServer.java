package dev.meshkit.transport.ws.internal;

import dev.meshkit.api.Endpoint;
import dev.meshkit.api.ErrorCode;
import dev.meshkit.api.MeshException;
import dev.meshkit.api.spi.ConnectionHandler;
import dev.meshkit.api.spi.Listener;
import dev.meshkit.api.spi.TransportOptions;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.UnaryOperator;
import org.java_websocket.WebSocket;
import org.java_websocket.WebSocketAdapter;
import org.java_websocket.WebSocketImpl;
import org.java_websocket.WebSocketServerFactory;
import org.java_websocket.drafts.Draft;
import org.java_websocket.drafts.Draft_6455;
import org.java_websocket.enums.ReadyState;
import org.java_websocket.framing.CloseFrame;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.server.WebSocketServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One listening endpoint: a Java-WebSocket server on a socket this class bound itself.
 *
 * <p>The socket is bound before the library sees it, so "port in use" is known synchronously and
 * the fallback to the next ports needs no library threads per attempt. The library still owns the
 * socket afterwards; the future from {@link #begin()} completes once its selector thread runs
 * ({@code onStart}).
 */
final class WsServer extends WebSocketServer implements Listener {
    private static final Logger LOG = LoggerFactory.getLogger(WsServer.class);
    /** How long {@link #shutdown()} waits for the selector thread to finish closing connections. */
    private static final int STOP_MILLIS = 1_000;
    private static final int GOING_AWAY_CODE = WsConnection.GOING_AWAY;

    private final WsTransport transport;
    private final Endpoint endpoint;
    private final ServerSocketChannel channel;
    private final ConnectionHandler handler;
    private final TransportOptions options;
    private final WriteWatchdog watchdog;
    private final UnaryOperator<ByteChannel> channelDecorator;
    private final CompletableFuture<Listener> started = new CompletableFuture<>();
    private final Set<ServerConnection> live = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean accepting = new AtomicBoolean(true);
    private final AtomicBoolean stopped = new AtomicBoolean();

    WsServer(
            WsTransport transport,
            Endpoint endpoint,
            ServerSocketChannel channel,
            ConnectionHandler handler,
            TransportOptions options,
            ScheduledExecutorService timer,
            UnaryOperator<ByteChannel> channelDecorator) {
        super(channel);
        this.transport = transport;
        this.endpoint = endpoint;
        this.channel = channel;
        this.handler = handler;
        this.options = options;
        this.channelDecorator = channelDecorator;
        this.watchdog = new WriteWatchdog(this, timer);
        // MeshKit runs its own keep-alive. The library's checker would also mask stalled writes
        // (its pings restart them), hiding the problem the watchdog exists for.
        setConnectionLostTimeout(0);
        // Frames are small and latency-bound (request/reply); Nagle's delay would add tens of ms.
        setTcpNoDelay(true);
        setReuseAddr(WsTransport.REUSE_ADDRESS);
        setDaemon(true);
        setWebSocketFactory(new Factory());
    }

    CompletableFuture<Listener> begin() {
        start();
        return started;
    }

    WriteWatchdog watchdog() {
        return watchdog;
    }

    @Override
    public Endpoint endpoint() {
        return endpoint;
    }

    /** Stops accepting; open connections stay open and the server stops when the last one closes. */
    @Override
    public void close() {
        if (!accepting.compareAndSet(true, false)) {
            return;
        }
        try {
            channel.close();
        } catch (IOException e) {
            LOG.debug("closing listening socket {}", endpoint, e);
        }
        if (live.isEmpty()) {
            shutdown();
            return;
        }
        // A registered channel keeps its port until its selector deregisters it, which happens on
        // the selector's next turn: wake it, and wait (briefly) so the port is free when close returns.
        for (ServerConnection c : live) {
            SelectionKey key = c.socket().getSelectionKey();
            if (key != null) {
                key.selector().wakeup();
                break;
            }
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(STOP_MILLIS);
        while (channel.isRegistered() && System.nanoTime() < deadline && !stopped.get()) {
            LockSupport.parkNanos(100_000);
        }
        // The selector closes the socket just after it drops the registration; give it that instant.
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
    }

    /** Closes every connection and stops the library's threads. */
    void shutdown() {
        if (!stopped.compareAndSet(false, true)) {
            return;
        }
        accepting.set(false);
        for (ServerConnection c : new ArrayList<>(live)) {
            c.close(GOING_AWAY_CODE, "shutting down");
        }
        boolean interrupted = false;
        try {
            stop(STOP_MILLIS, "shutting down");
        } catch (InterruptedException e) {
            interrupted = true;
        }
        // Sockets whose close handshake did not finish in time are closed outright.
        for (WebSocket ws : getConnections()) {
            ws.closeConnection(GOING_AWAY_CODE, "shutting down");
        }
        try {
            channel.close();
        } catch (IOException e) {
            LOG.debug("closing listening socket {}", endpoint, e);
        }
        transport.forget(this);
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Gives a peer that ignores our close frame a bounded time before the socket is dropped. */
    void forceCloseLater(ServerConnection connection, int code, String reason) {
        try {
            transport.timer().schedule(() -> {
                if (!connection.socket().isClosed()) {
                    connection.socket().closeConnection(code, reason);
                }
            }, options.connectTimeoutMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            connection.socket().closeConnection(code, reason);
        }
    }

    void forget(ServerConnection connection) {
        live.remove(connection);
        if (!accepting.get() && live.isEmpty() && !stopped.get()) {
            // Not on this thread: it may be the selector or a worker, which stop() waits for.
            try {
                transport.timer().execute(this::shutdown);
            } catch (RejectedExecutionException e) {
                LOG.debug("transport already closed; {} stops with it", endpoint);
            }
        }
    }

    @Override
    public void onStart() {
        // Runs on the selector thread: name it after the node's transport and port for thread dumps.
        Thread.currentThread().setName(transport + "-selector-" + endpoint.port());
        started.complete(this);
    }

    @Override
    public void onOpen(WebSocket conn, ClientHandshake handshake) {
        ServerConnection c = conn.getAttachment();
        if (c == null) {
            return;
        }
        if (!accepting.get()) {
            conn.close(GOING_AWAY_CODE, "not accepting connections");
            return;
        }
        live.add(c);
        c.opened();
    }

    @Override
    public void onMessage(WebSocket conn, ByteBuffer message) {
        ServerConnection c = conn.getAttachment();
        if (c == null) {
            return;
        }
        // The draft already enforces the limit per frame and for reassembled fragments; this keeps
        // the promise even if that ever changes.
        if (message.remaining() > options.maxFrameBytes()) {
            tooBig(c, message.remaining());
            return;
        }
        byte[] frame = new byte[message.remaining()];
        message.get(frame);
        c.deliverFrame(frame);
    }

    @Override
    public void onMessage(WebSocket conn, String message) {
        ServerConnection c = conn.getAttachment();
        if (c == null) {
            return;
        }
        byte[] frame = message.getBytes(StandardCharsets.UTF_8);
        if (frame.length > options.maxFrameBytes()) {
            tooBig(c, frame.length);
            return;
        }
        c.deliverFrame(frame);
    }

    private void tooBig(ServerConnection c, int size) {
        String reason = "frame of " + size + " bytes exceeds " + options.maxFrameBytes();
        c.close(WsConnection.TOO_BIG, reason);
    }

    @Override
    public void onClose(WebSocket conn, int code, String reason, boolean remote) {
        ServerConnection c = conn.getAttachment();
        if (c != null) {
            // The library calls a reset or read error a local close; for MeshKit a lost connection
            // is the remote's doing. Closes this side started were reported when they started.
            c.deliverClose(code, reason, remote || code == WsConnection.ABNORMAL);
        }
    }

    @Override
    public void onError(WebSocket conn, Exception ex) {
        if (conn == null && !started.isDone()) {
            started.completeExceptionally(
                    new MeshException(ErrorCode.CONNECT_FAILED, "cannot listen on " + endpoint + ": " + ex, ex));
            return;
        }
        // The library follows an error on a connection with onClose, which reports it to the handler.
        LOG.debug("websocket error on {}", conn == null ? endpoint : conn.getRemoteSocketAddress(), ex);
    }

    /** Makes the library build MeshKit's connections, drafts and channels. */
    private final class Factory implements WebSocketServerFactory {
        private Draft draft() {
            // The size limit applies per frame and to fragments reassembled into one message;
            // a larger one makes the library close with 1009.
            return new Draft_6455(Collections.emptyList(), options.maxFrameBytes());
        }

        @Override
        public WebSocketImpl createWebSocket(WebSocketAdapter adapter, Draft ignored) {
            return attach(new WebSocketImpl(adapter, draft()));
        }

        @Override
        public WebSocketImpl createWebSocket(WebSocketAdapter adapter, List<Draft> ignored) {
            return attach(new WebSocketImpl(adapter, List.of(draft())));
        }

        private WebSocketImpl attach(WebSocketImpl socket) {
            socket.setAttachment(new ServerConnection(WsServer.this, socket, handler, options.maxQueuedBytes()));
            dropIfNotUpgraded(socket);
            return socket;
        }

        /**
         * A TCP connection that has not finished its WebSocket upgrade within the connect timeout is
         * dropped: otherwise a peer could hold sockets open forever without sending a byte, below
         * every limit the node applies to connections it hears of.
         */
        private void dropIfNotUpgraded(WebSocketImpl socket) {
            try {
                transport.timer().schedule(() -> {
                    if (socket.getReadyState() == ReadyState.NOT_YET_CONNECTED) {
                        LOG.debug("dropping a connection to {} that sent no upgrade in {} ms", endpoint,
                                options.connectTimeoutMillis());
                        socket.closeConnection(CloseFrame.PROTOCOL_ERROR, "no upgrade in time");
                    }
                }, options.connectTimeoutMillis(), TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException e) {
                socket.closeConnection(CloseFrame.GOING_AWAY, "transport closing");
            }
        }

        @Override
        public ByteChannel wrapChannel(SocketChannel socket, SelectionKey key) {
            WebSocketImpl ws = (WebSocketImpl) key.attachment();
            ServerConnection c = ws.getAttachment();
            return channelDecorator.apply(new CountingChannel(socket, c));
        }

        @Override
        public void close() {
        }
    }
}
