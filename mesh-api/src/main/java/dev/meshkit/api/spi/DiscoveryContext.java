package dev.meshkit.api.spi;

import dev.meshkit.api.Endpoint;
import dev.meshkit.api.NodeId;
import java.util.List;

/** What a running {@link Discovery} may see of its node and how it reports what it finds. */
public interface DiscoveryContext {
    /** The node's id. */
    NodeId self();

    /** The network id the node belongs to. */
    String network();

    /** Where the node listens (actual bound endpoints). */
    List<Endpoint> endpoints();

    /** Reports a candidate. Callable from any thread; the node bounds and filters what it keeps. */
    void offer(PeerCandidate candidate);

    /** The node's runtime, for timers and randomness. */
    NodeRuntime runtime();
}
