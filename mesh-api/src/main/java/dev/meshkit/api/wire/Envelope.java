package dev.meshkit.api.wire;

import dev.meshkit.api.NodeId;

/**
 * An application message on the wire. The origin signs every field but {@code ttl} and
 * {@code hops}, which change in transit.
 *
 * @param type        application message type
 * @param origin      the signing node
 * @param destination the addressed node, or {@code null} for a broadcast
 * @param timestamp   origin's clock at creation, epoch milliseconds
 * @param sequence    origin's per-node counter, so equal payloads still get distinct ids
 * @param ttl         how many more times the message may be forwarded; 0 means "do not forward"
 * @param hops        links crossed so far
 * @param payload     application bytes
 * @param publicKey   origin's encoded public key; its SHA-256 must equal {@code origin}
 * @param signature   origin's signature over the signed fields
 */
public record Envelope(String type, NodeId origin, NodeId destination, long timestamp, long sequence, int ttl,
                       int hops, byte[] payload, byte[] publicKey, byte[] signature) {

    /** True when the envelope is addressed to one node. */
    public boolean isDirect() {
        return destination != null;
    }

    /** The same envelope one hop further: ttl spent by one, hops grown by one. */
    public Envelope forwarded() {
        return new Envelope(type, origin, destination, timestamp, sequence, ttl - 1, hops + 1, payload, publicKey,
                signature);
    }
}
