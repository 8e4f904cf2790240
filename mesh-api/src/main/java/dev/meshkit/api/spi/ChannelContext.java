package dev.meshkit.api.spi;

/**
 * What a secure channel binds its keys to.
 *
 * @param network         network id
 * @param protocolVersion handshake protocol version
 * @param localKeys       this node's identity keys, to sign the transcript
 * @param remotePublicKey the peer's identity public key, to check its transcript signature
 * @param initiator       true on the dialling side
 */
public record ChannelContext(String network, int protocolVersion, KeyMaterial localKeys, byte[] remotePublicKey,
                             boolean initiator) {
}
