package dev.meshkit.api;

/**
 * A connected neighbour, as seen by this node.
 *
 * @param id            the neighbour's verified node id
 * @param endpoint      where the neighbour says it listens, or {@code null} if it does not listen
 * @param remoteAddress the transport's address of the connection's other end, for logs and limits
 * @param inbound       true if the neighbour dialled this node
 * @param connectedAt   when the handshake completed, in epoch milliseconds of the node's clock
 * @param suite         the link's encryption suite, such as {@code x25519-mlkem768-aes256gcm}, or
 *                      {@link ChannelSettings#PLAINTEXT} for a link that is not encrypted
 */
public record PeerInfo(NodeId id, Endpoint endpoint, String remoteAddress, boolean inbound, long connectedAt,
                       String suite) {
}
