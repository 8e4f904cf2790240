package dev.meshkit.core.gossip;

import dev.meshkit.api.MessageId;
import dev.meshkit.api.NodeId;
import dev.meshkit.api.wire.Envelope;
import dev.meshkit.api.wire.Frame;

/**
 * Sends every new broadcast to every neighbour but the one it came from and its origin. Kept as the
 * baseline the tree is measured against, and for networks that want maximum redundancy.
 */
final class Flood implements Dissemination {
    private final GossipLinks links;

    Flood(GossipLinks links) {
        this.links = links;
    }

    @Override
    public void linkUp(NodeId peer) {
    }

    @Override
    public void linkDown(NodeId peer) {
    }

    @Override
    public void spread(Envelope envelope, MessageId id, NodeId from) {
        byte[] frame = null;
        for (NodeId n : links.neighbours()) {
            if (n.equals(from) || n.equals(envelope.origin())) {
                continue;
            }
            if (frame == null) {
                frame = links.codec().encode(new Frame.Publish(envelope, id));
            }
            links.push(n, frame);
        }
    }

    @Override
    public void duplicate(NodeId from, MessageId id) {
    }

    @Override
    public boolean wantsDuplicates() {
        return false;
    }

    @Override
    public void control(NodeId from, Frame frame) {
        // A tree neighbour announces, grafts and prunes; flooding already sends it everything.
    }

    @Override
    public void close() {
    }
}
