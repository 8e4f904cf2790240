package dev.meshkit.api;

import java.util.List;

/** Something that happened to a node, as delivered to a {@link MeshEventListener}. */
public sealed interface MeshEvent {

    /**
     * The node is running.
     *
     * @param node      its id
     * @param endpoints where it listens (actual bound ports)
     */
    record NodeStarted(NodeId node, List<Endpoint> endpoints) implements MeshEvent {
        /** Copies the list. */
        public NodeStarted {
            endpoints = List.copyOf(endpoints);
        }
    }

    /**
     * The node has stopped; no event follows.
     *
     * @param node   its id
     * @param reason why it stopped
     */
    record NodeStopped(NodeId node, String reason) implements MeshEvent {
    }

    /**
     * A neighbour completed the handshake. Fired once per neighbour, however many sockets were used.
     *
     * @param peer the neighbour
     */
    record PeerConnected(PeerInfo peer) implements MeshEvent {
    }

    /**
     * A neighbour's last connection ended.
     *
     * @param peer   the neighbour
     * @param reason why
     * @param detail a human-readable detail
     */
    record PeerDisconnected(PeerInfo peer, DisconnectReason reason, String detail) implements MeshEvent {
    }

    /**
     * A connection attempt or inbound connection was refused in the handshake.
     *
     * @param remote what was dialled, or the remote address of an inbound connection
     * @param reason the machine-readable reason
     * @param detail a human-readable detail
     * @param byRemote true if the other side refused, false if this node did
     */
    record HandshakeRefused(String remote, RefusalReason reason, String detail, boolean byRemote) implements MeshEvent {
    }

    /**
     * A message was delivered to this node (also passed to the handlers of its type).
     *
     * @param message the message
     */
    record MessageReceived(Message message) implements MeshEvent {
    }
}
