package dev.meshkit.api.wire;

import dev.meshkit.api.Endpoint;
import dev.meshkit.api.NodeId;

/**
 * A peer as shared in peer exchange: where a node listens and, when known, who it is.
 *
 * @param id       the node id, or {@code null} if not known
 * @param endpoint where the node listens
 */
public record PeerRecord(NodeId id, Endpoint endpoint) {
    /** Requires an endpoint. */
    public PeerRecord {
        if (endpoint == null) {
            throw new IllegalArgumentException("endpoint is required");
        }
    }
}
