package dev.meshkit.api.spi;

/**
 * Receives a connection's life. For one connection, calls never overlap and come in order:
 * {@code onOpen}, any number of {@code onFrame}, then {@code onClose} exactly once.
 */
public interface ConnectionHandler {
    /** The connection is open (for an inbound one, just accepted). */
    void onOpen(Connection connection);

    /** A whole frame arrived. The array belongs to the handler. */
    void onFrame(Connection connection, byte[] frame);

    /**
     * The connection ended.
     *
     * @param code   close code (1000 normal, 1006 abnormal, ...)
     * @param reason close reason text, possibly empty
     * @param remote true if the remote side closed it
     */
    void onClose(Connection connection, int code, String reason, boolean remote);
}
