package dev.meshkit.core.gossip;

import dev.meshkit.api.GossipSettings;
import dev.meshkit.api.MessageId;
import dev.meshkit.api.NodeId;
import dev.meshkit.api.wire.Envelope;
import dev.meshkit.api.wire.Frame;

/**
 * How a node passes broadcasts on to its neighbours. All calls come from the node's event loop.
 */
public interface Dissemination {

    /** The dissemination {@code settings} ask for, sending through {@code links}. */
    static Dissemination create(GossipSettings settings, GossipLinks links) {
        return settings.dissemination() == GossipSettings.Dissemination.FLOOD
                ? new Flood(links)
                : new LazyPushTree(settings, links);
    }

    /** A link to {@code peer} is established. */
    void linkUp(NodeId peer);

    /** The link to {@code peer} is gone. */
    void linkDown(NodeId peer);

    /**
     * Passes on a new, verified broadcast.
     *
     * @param envelope the envelope as neighbours should receive it (hop count already raised by a relay)
     * @param id       its message id
     * @param from     the neighbour it came from, or {@code null} if this node published it
     */
    void spread(Envelope envelope, MessageId id, NodeId from);

    /**
     * {@code from} sent a copy of broadcast {@code id}, which this node already had.
     *
     * @param origin the message's origin, or {@code null} if only the id was read
     */
    void duplicate(NodeId from, MessageId id, NodeId origin);

    /** True if {@link #duplicate} does anything: the node may then skip reporting them. */
    boolean wantsDuplicates();

    /** A dissemination control frame ({@link Frame.IHave}, {@link Frame.Graft}, {@link Frame.Prune}). */
    void control(NodeId from, Frame frame);

    /** Cancels timers; the node is stopping. */
    void close();
}
