package dev.meshkit.api.spi;

import dev.meshkit.api.Endpoint;
import dev.meshkit.api.NodeId;

/**
 * A node that discovery found and the node may dial.
 *
 * @param endpoint where it listens
 * @param id       its node id if the source knows it, else {@code null}
 * @param source   who reported it, for logs and per-source dial caps (e.g. {@code seed}, {@code lan})
 */
public record PeerCandidate(Endpoint endpoint, NodeId id, String source) {
    /** Requires an endpoint and a source. */
    public PeerCandidate {
        if (endpoint == null || source == null) {
            throw new IllegalArgumentException("endpoint and source are required");
        }
    }
}
