package dev.meshkit.transport.ws.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.channels.SocketChannel;

/**
 * The socket as Java-WebSocket's server sees it: reads pass straight through; writes also tell the
 * connection how many of its queued bytes reached the network.
 */
final class CountingChannel implements ByteChannel {
    private final SocketChannel socket;
    private final ServerConnection connection;

    CountingChannel(SocketChannel socket, ServerConnection connection) {
        this.socket = socket;
        this.connection = connection;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        return socket.read(dst);
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        int written = socket.write(src);
        if (written > 0) {
            connection.wrote(src, written);
        }
        return written;
    }

    @Override
    public boolean isOpen() {
        return socket.isOpen();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
