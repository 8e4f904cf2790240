package dev.meshkit.api;

/** Machine-readable classes of {@link MeshException}. */
public enum ErrorCode {
    /** An endpoint text could not be parsed or used. */
    INVALID_ENDPOINT,
    /** The builder was given options that do not fit together or are out of range. */
    INVALID_CONFIG,
    /** No route to the destination node is known. */
    NO_ROUTE,
    /** The node is not running (not started yet, or stopped). */
    NOT_RUNNING,
    /** A handshake was refused by the remote or the local side. */
    HANDSHAKE_REFUSED,
    /** A connection attempt failed at the transport. */
    CONNECT_FAILED,
    /** A message is larger than the configured limit for its type. */
    MESSAGE_TOO_LARGE,
    /** A peer's send queue is full. */
    BACKPRESSURE,
    /** This node's own messages exceed the per-origin rate its peers accept ({@link DefenceSettings#messages()}). */
    RATE_LIMITED,
    /** A plugin needed by the configuration is missing. */
    MISSING_PROVIDER,
    /** Key material could not be read, written or used. */
    IDENTITY
}
