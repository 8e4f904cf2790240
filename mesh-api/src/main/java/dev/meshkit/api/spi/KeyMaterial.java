package dev.meshkit.api.spi;

import dev.meshkit.api.NodeId;

/**
 * A key pair in a scheme's own encoding.
 *
 * @param scheme     the {@link IdentityScheme#name()} it belongs to
 * @param publicKey  encoded public key; the node id is its SHA-256
 * @param privateKey encoded private key
 */
public record KeyMaterial(String scheme, byte[] publicKey, byte[] privateKey) {
    /** The node id of this key pair. */
    public NodeId nodeId() {
        return NodeId.ofPublicKey(publicKey);
    }

    @Override
    public String toString() {
        return "KeyMaterial[" + scheme + ", " + nodeId().shortForm() + "]";
    }
}
