package dev.meshkit.api;

import java.util.Locale;

/**
 * Why a handshake was refused. Each reason has a stable wire name and the WebSocket close code the
 * refusing side closes with (RFC 6455 section 7.4).
 */
public enum RefusalReason {
    /** The peers belong to different networks. */
    NETWORK_MISMATCH(1008),
    /** No protocol version both sides speak. */
    VERSION_MISMATCH(1002),
    /** The proof of key possession did not verify. */
    BAD_PROOF(1008),
    /** The node id does not match the public key presented. */
    IDENTITY_MISMATCH(1008),
    /** The remote is this node itself. */
    SELF_CONNECTION(1008),
    /** Another connection to the same node already exists and wins the tie-break. */
    DUPLICATE(1000),
    /** The node has no room for more peers. */
    FULL(1013),
    /** The trust policy refused the peer. */
    POLICY(1008),
    /** The remote sent something the handshake does not allow. */
    PROTOCOL_ERROR(1002),
    /** The handshake did not finish in time. */
    TIMEOUT(1001),
    /** The signature scheme of the remote is not available here. */
    UNSUPPORTED_SCHEME(1008),
    /** No link encryption suite both sides accept (including one side refusing plaintext links). */
    UNSUPPORTED_SUITE(1008),
    /**
     * The link keys did not confirm although both transcript signatures verified: the two nodes
     * hold different network keys.
     */
    NETWORK_KEY_MISMATCH(1008),
    /** The remote's address or node id opened connections or handshakes faster than allowed. */
    RATE_LIMITED(1013),
    /** The remote's address or node id is banned for a while. */
    BANNED(1008),
    /** The node already has as many neighbours from the remote's subnet as it allows. */
    SUBNET_FULL(1013),
    /** The remote's proof of work was missing or wrong, or it asked for more work than allowed. */
    BAD_WORK(1008);

    private final int closeCode;

    RefusalReason(int closeCode) {
        this.closeCode = closeCode;
    }

    /** The WebSocket close code used when refusing for this reason. */
    public int closeCode() {
        return closeCode;
    }

    /** The stable name used on the wire, e.g. {@code network-mismatch}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Reads a wire name back; unknown names map to {@link #PROTOCOL_ERROR}. */
    public static RefusalReason fromWire(String name) {
        for (RefusalReason r : values()) {
            if (r.wireName().equals(name)) {
                return r;
            }
        }
        return PROTOCOL_ERROR;
    }
}
