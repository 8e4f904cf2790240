package dev.meshkit.api.spi;

/** Classes of inbound message a {@link TrustPolicy} can admit or refuse separately. */
public enum MessageClass {
    /** Keepalive and goodbye. */
    CONTROL,
    /** Peer lists and peer requests. */
    PEER_EXCHANGE,
    /** Application broadcasts. */
    BROADCAST,
    /** Application messages addressed to one node. */
    DIRECT
}
