package dev.meshkit.api;

/** Why a neighbour's connection ended. */
public enum DisconnectReason {
    /** The neighbour closed the connection, said goodbye, or refused the link after the handshake. */
    REMOTE_CLOSED,
    /** This node is stopping. */
    LOCAL_SHUTDOWN,
    /** The neighbour was silent for longer than the keepalive limit. */
    TIMEOUT,
    /** The neighbour could not keep up with what it was sent. */
    SLOW_CONSUMER,
    /** The transport failed (reset, I/O error). */
    TRANSPORT_ERROR,
    /** This node closed the connection on purpose, e.g. to make room or by policy. */
    LOCAL_CLOSED,
    /**
     * The neighbour broke the protocol in a way an honest node never does, e.g. it relayed
     * messages whose signatures do not verify. It is not dialled again and is refused for a while.
     */
    MISBEHAVED
}
