package dev.meshkit.core.node;

import dev.meshkit.api.NodeId;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The handshake transcript both sides sign. It binds the network, the protocol version, both node
 * ids (the hashes of their keys), both fresh challenges and the whole secure channel exchange (the
 * dialler's offer of suites and key shares, the listener's choice and share), so a proof can be
 * neither replayed on another link nor moved to another network, and a suite removed from the offer
 * on the way breaks both proofs. The labels differ so one side's proof never serves as the other's.
 * Parts are length-prefixed, so no two different transcripts share bytes.
 */
final class HandshakeProofs {
    private HandshakeProofs() {
    }

    /**
     * SHA-256 of the transcript.
     *
     * @param offer  the hello's channel bytes, or {@code null} for a plaintext link
     * @param answer the welcome's channel answer (without its key confirmation), or {@code null}
     */
    static byte[] transcriptHash(String network, int version, byte[] dialerChallenge, NodeId dialer,
                                 NodeId listener, byte[] listenerChallenge, byte[] offer, byte[] answer) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        part(out, "meshkit/handshake/v2".getBytes(StandardCharsets.UTF_8));
        part(out, network.getBytes(StandardCharsets.UTF_8));
        part(out, ByteBuffer.allocate(4).putInt(version).array());
        part(out, dialerChallenge);
        part(out, dialer.bytes());
        part(out, listener.bytes());
        part(out, listenerChallenge);
        part(out, offer == null ? new byte[0] : offer);
        part(out, answer == null ? new byte[0] : answer);
        try {
            return MessageDigest.getInstance("SHA-256").digest(out.toByteArray());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }

    /** What the listener signs in its welcome. */
    static byte[] welcome(byte[] transcriptHash) {
        return labelled("meshkit/handshake/v2/welcome", transcriptHash);
    }

    /** What the dialler signs in its auth. */
    static byte[] auth(byte[] transcriptHash) {
        return labelled("meshkit/handshake/v2/auth", transcriptHash);
    }

    private static byte[] labelled(String label, byte[] hash) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64);
        part(out, label.getBytes(StandardCharsets.UTF_8));
        part(out, hash);
        return out.toByteArray();
    }

    private static void part(ByteArrayOutputStream out, byte[] bytes) {
        out.writeBytes(ByteBuffer.allocate(4).putInt(bytes.length).array());
        out.writeBytes(bytes);
    }
}
