package dev.meshkit.transport.ws.internal;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;
import org.java_websocket.WebSocket;
import org.java_websocket.WebSocketAdapter;
import org.java_websocket.WebSocketImpl;
import org.java_websocket.WebSocketServerFactory;
import org.java_websocket.drafts.Draft;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.server.WebSocketServer;

/**
 * Java-WebSocket's server used the straightforward way, without MeshKit's watchdog: an echo server
 * replying from the thread that received the message. The keep-alive checker is off (it would
 * rescue a stall after a minute) and TCP_NODELAY is on, as in MeshKit's own server.
 */
final class NaiveServer extends WebSocketServer {
    final CompletableFuture<Void> started = new CompletableFuture<>();

    NaiveServer(UnaryOperator<ByteChannel> decorator) {
        super(new InetSocketAddress(Fixtures.LOOPBACK, 0));
        setConnectionLostTimeout(0);
        setTcpNoDelay(true);
        setDaemon(true);
        setWebSocketFactory(new WebSocketServerFactory() {
            @Override
            public WebSocketImpl createWebSocket(WebSocketAdapter a, Draft d) {
                return new WebSocketImpl(a, d);
            }

            @Override
            public WebSocketImpl createWebSocket(WebSocketAdapter a, List<Draft> d) {
                return new WebSocketImpl(a, d);
            }

            @Override
            public ByteChannel wrapChannel(SocketChannel channel, SelectionKey key) {
                return decorator.apply(channel);
            }

            @Override
            public void close() {
            }
        });
    }

    /** True if some connection has queued bytes but no write interest: the stall's signature. */
    boolean hasStalledConnection() {
        for (WebSocket ws : getConnections()) {
            WebSocketImpl impl = (WebSocketImpl) ws;
            SelectionKey key = impl.getSelectionKey();
            if (!impl.outQueue.isEmpty() && key.isValid() && (key.interestOps() & SelectionKey.OP_WRITE) == 0) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void onOpen(WebSocket conn, ClientHandshake handshake) {
    }

    @Override
    public void onClose(WebSocket conn, int code, String reason, boolean remote) {
    }

    @Override
    public void onMessage(WebSocket conn, String message) {
    }

    @Override
    public void onMessage(WebSocket conn, ByteBuffer message) {
        conn.send(message);
    }

    @Override
    public void onError(WebSocket conn, Exception ex) {
        if (conn == null) {
            started.completeExceptionally(ex);
        }
    }

    @Override
    public void onStart() {
        started.complete(null);
    }
}
