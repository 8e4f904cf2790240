package dev.meshkit.api.spi;

import dev.meshkit.api.PeerInfo;

/**
 * Decides whom a node talks to and what it accepts from them before trust is established. Called on
 * the node's event loop: decide quickly. Every method admits by default.
 */
public interface TrustPolicy {
    /** Before any frame is read from a new connection. */
    default TrustDecision admitConnection(String remoteAddress, boolean inbound) {
        return TrustDecision.ALLOW;
    }

    /** After the peer proved its identity, before it becomes a neighbour. */
    default TrustDecision admitPeer(PeerInfo peer) {
        return TrustDecision.ALLOW;
    }

    /** For each inbound message from a neighbour. */
    default TrustDecision admitMessage(PeerInfo from, MessageClass messageClass) {
        return TrustDecision.ALLOW;
    }
}
