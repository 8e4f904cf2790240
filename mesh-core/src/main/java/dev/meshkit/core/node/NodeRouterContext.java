package dev.meshkit.core.node;

import dev.meshkit.api.NodeId;
import dev.meshkit.api.PeerInfo;
import dev.meshkit.api.spi.NodeRuntime;
import dev.meshkit.api.spi.RouterContext;
import dev.meshkit.api.wire.Frame;
import java.util.List;

/** What a router sees of its node: neighbours, and a way to send them frames. */
final class NodeRouterContext implements RouterContext {
    private final CoreNode node;

    NodeRouterContext(CoreNode node) {
        this.node = node;
    }

    @Override
    public NodeId self() {
        return node.id();
    }

    @Override
    public List<PeerInfo> neighbours() {
        return node.peers();
    }

    @Override
    public boolean sendToNeighbour(NodeId neighbour, Frame frame) {
        Session s = node.neighbour(neighbour);
        return s != null && node.send(s, node.codec().encode(frame));
    }

    @Override
    public NodeRuntime runtime() {
        return node.runtime();
    }
}
