package dev.meshkit.core.gossip;

import dev.meshkit.api.MessageId;
import dev.meshkit.api.NodeId;
import dev.meshkit.api.wire.Envelope;
import dev.meshkit.api.wire.Frame;
import java.util.ArrayList;
import java.util.List;

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
    public void duplicate(NodeId from, MessageId id, NodeId origin) {
    }

    @Override
    public boolean wantsDuplicates() {
        return false;
    }

    @Override
    public void control(NodeId from, Frame frame) {
        // A tree neighbour may have pruned this link and only announce on it: ask at once for
        // whatever it announces that this node lacks, which also makes it push again. Its grafts
        // and prunes need no answer: flooding sends it everything anyway.
        if (frame instanceof Frame.IHave h) {
            List<MessageId> lacking = new ArrayList<>();
            for (MessageId id : h.ids()) {
                if (!links.delivered(id) && !links.pending(id)) {
                    lacking.add(id);
                }
            }
            if (!lacking.isEmpty()) {
                links.send(from, new Frame.Graft(lacking));
            }
        }
    }

    @Override
    public void close() {
    }
}
