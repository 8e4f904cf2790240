package dev.meshkit.api.spi;

/**
 * One open link carrying whole frames in both directions. Thread-safe.
 */
public interface Connection {
    /**
     * Queues a frame for sending. Returns false, without queuing, if the connection is closed or its
     * queue already holds {@link TransportOptions#maxQueuedBytes()}: the caller decides whether to
     * drop the frame or close a peer that does not keep up.
     */
    boolean send(byte[] frame);

    /** Bytes queued but not yet written to the network. */
    long queuedBytes();

    /** Closes with a WebSocket-style close code and reason; the handler's {@code onClose} follows. */
    void close(int code, String reason);

    /** True until closed by either side. */
    boolean isOpen();

    /** True if the remote dialled us. */
    boolean inbound();

    /** The remote's transport address, such as {@code 127.0.0.1:53122}, for logs and limits. */
    String remoteAddress();
}
