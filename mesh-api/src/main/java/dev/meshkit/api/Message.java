package dev.meshkit.api;

import java.nio.charset.StandardCharsets;

/**
 * An application message as delivered to a {@link MessageHandler}: its signature has been verified
 * and it is delivered once per node.
 *
 * @param id        the message id (derived from the signed bytes)
 * @param type      the application's message type
 * @param origin    the node that created and signed it
 * @param timestamp the origin's clock when it was created, in epoch milliseconds
 * @param hops      how many links it crossed to get here (1 for a neighbour's message)
 * @param delivery  whether it was a broadcast or addressed to this node
 * @param payload   the application bytes; the array is the handler's own copy
 * @param endToEnd  whether it crossed the mesh encrypted from its origin to this node, so that no
 *                  node relaying it could read it (a direct message on a node with encrypted links)
 */
public record Message(MessageId id, String type, NodeId origin, long timestamp, int hops, Delivery delivery,
                      byte[] payload, boolean endToEnd) {

    /** How a message reached this node. */
    public enum Delivery {
        /** Sent to the whole mesh. */
        BROADCAST,
        /** Addressed to this node. */
        DIRECT
    }

    /** The payload decoded as UTF-8. */
    public String payloadAsString() {
        return new String(payload, StandardCharsets.UTF_8);
    }
}
