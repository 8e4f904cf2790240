package dev.meshkit.core.gossip;

import dev.meshkit.api.MessageId;
import dev.meshkit.api.NodeId;
import dev.meshkit.api.spi.Codec;
import dev.meshkit.api.spi.NodeRuntime;
import dev.meshkit.api.wire.Frame;
import java.util.Collection;

/** What a {@link Dissemination} uses of its node. Called on the node's event loop only. */
public interface GossipLinks {
    /** The node's runtime: clock and timers. */
    NodeRuntime runtime();

    /** The codec of the node's links. */
    Codec codec();

    /** The established neighbours, in a stable order. */
    Collection<NodeId> neighbours();

    /** Sends an encoded publish frame to a neighbour and counts it; false if it was not queued. */
    boolean push(NodeId neighbour, byte[] publishFrame);

    /** A neighbour announced a message and did not send it when asked. */
    void brokenPromise(NodeId neighbour);

    /** Sends a control frame to a neighbour; false if it was not queued. */
    boolean send(NodeId neighbour, Frame frame);

    /** The most message ids one announcement or graft frame may carry under the node's frame limits. */
    int maxIdsPerFrame();

    /** True if the node has accepted this message (it is in the dedup cache). */
    boolean delivered(MessageId id);

    /**
     * True if a copy of this message is being verified. It may still fail, so this must never be
     * taken as having the message.
     */
    boolean pending(MessageId id);
}
