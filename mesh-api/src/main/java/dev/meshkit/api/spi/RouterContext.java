package dev.meshkit.api.spi;

import dev.meshkit.api.NodeId;
import dev.meshkit.api.PeerInfo;
import dev.meshkit.api.wire.Frame;
import java.util.List;

/** What a {@link Router} may use of its node. Use on the node's event loop only. */
public interface RouterContext {
    /** The node's id. */
    NodeId self();

    /** The current neighbours. */
    List<PeerInfo> neighbours();

    /** Sends a frame to a neighbour; false if it is not a neighbour or its queue is full. */
    boolean sendToNeighbour(NodeId neighbour, Frame frame);

    /** The node's runtime. */
    NodeRuntime runtime();
}
