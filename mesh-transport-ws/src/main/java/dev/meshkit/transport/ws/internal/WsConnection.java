package dev.meshkit.transport.ws.internal;

import dev.meshkit.api.spi.Connection;
import dev.meshkit.api.spi.ConnectionHandler;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What both directions of a WebSocket connection share: the open flag and the ordered,
 * exactly-once delivery of handler calls.
 */
abstract class WsConnection implements Connection {
    /** Close code for a connection lost without a close handshake. */
    static final int ABNORMAL = 1006;
    /** Close code for a frame over the size limit. */
    static final int TOO_BIG = 1009;
    /** Close code used when the transport or listener shuts down. */
    static final int GOING_AWAY = 1001;
    private static final int MAX_REASON_BYTES = 123;

    final ConnectionHandler handler;
    private final boolean inbound;
    private final AtomicBoolean open = new AtomicBoolean();
    private final SerialDelivery delivery = new SerialDelivery();
    private volatile String remoteAddress = "";
    // A connection that never opened was never shown to the handler, so it gets no onClose either.
    private volatile boolean opened;
    // Only read and written inside delivery, which is serial.
    private boolean closeDelivered;

    WsConnection(ConnectionHandler handler, boolean inbound) {
        this.handler = handler;
        this.inbound = inbound;
    }

    @Override
    public final boolean isOpen() {
        return open.get();
    }

    @Override
    public final boolean inbound() {
        return inbound;
    }

    @Override
    public final String remoteAddress() {
        return remoteAddress;
    }

    final void setRemoteAddress(String address) {
        remoteAddress = address;
    }

    /** Marks the connection closed; true only for the caller that actually closed it. */
    final boolean markClosed() {
        return open.getAndSet(false);
    }

    final void deliverOpen() {
        opened = true;
        open.set(true);
        delivery.submit(() -> handler.onOpen(this));
    }

    final void deliverFrame(byte[] frame) {
        delivery.submit(() -> {
            if (!closeDelivered) {
                handler.onFrame(this, frame);
            }
        });
    }

    /**
     * Delivers {@code onClose} unless it was already delivered; later reports of the same closing
     * (for example the library confirming a close this side started) are dropped here.
     */
    final void deliverClose(int code, String reason, boolean remote) {
        open.set(false);
        if (!opened) {
            return;
        }
        delivery.submit(() -> {
            if (!closeDelivered) {
                closeDelivered = true;
                closed();
                handler.onClose(this, code, reason == null ? "" : reason, remote);
            }
        });
    }

    /** Releases what the connection holds; runs once, just before {@code onClose}. */
    abstract void closed();

    /** Shortens a close reason to the 123 UTF-8 bytes a close frame can carry. */
    static String truncate(String reason) {
        if (reason == null) {
            return "";
        }
        if (reason.getBytes(StandardCharsets.UTF_8).length <= MAX_REASON_BYTES) {
            return reason;
        }
        int end = reason.length();
        while (end > 0 && reason.substring(0, end).getBytes(StandardCharsets.UTF_8).length > MAX_REASON_BYTES) {
            end--;
        }
        if (end > 0 && Character.isHighSurrogate(reason.charAt(end - 1))) {
            end--;
        }
        return reason.substring(0, end);
    }

    static String format(InetSocketAddress address) {
        if (address == null) {
            return "";
        }
        InetAddress ip = address.getAddress();
        String host = ip != null ? ip.getHostAddress() : address.getHostString();
        return format(host, address.getPort());
    }

    static String format(String host, int port) {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
