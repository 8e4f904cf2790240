package dev.meshkit.transport.ws.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.java_websocket.WrappedByteChannel;

/**
 * Fault injection for the write-stall test: a socket wrapper that makes Java-WebSocket's selector
 * thread pause for a moment at the end of a write pass that found nothing to write.
 *
 * <p>The library asks a wrapped channel {@link #isNeedWrite()} at the start of such a pass and again
 * just before it resets the connection's interest to read-only. Pausing there holds open the window
 * in which a reply queued by another thread has its write interest overwritten, so the stall that
 * otherwise shows up only now and then happens nearly every round. Apart from the pause this
 * channel behaves exactly like the socket it wraps.
 */
final class SlowWritePassChannel implements WrappedByteChannel {
    private static final long PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private final ByteChannel socket;

    SlowWritePassChannel(ByteChannel socket) {
        this.socket = socket;
    }

    @Override
    public boolean isNeedWrite() {
        LockSupport.parkNanos(PAUSE_NANOS);
        return false;
    }

    @Override
    public void writeMore() {
    }

    @Override
    public boolean isNeedRead() {
        return false;
    }

    @Override
    public int readMore(ByteBuffer dst) {
        return 0;
    }

    @Override
    public boolean isBlocking() {
        return false;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        return socket.read(dst);
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        return socket.write(src);
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
