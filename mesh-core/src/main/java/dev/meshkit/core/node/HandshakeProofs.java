package dev.meshkit.core.node;

import dev.meshkit.api.NodeId;
import dev.meshkit.core.channel.Transcript;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The handshake transcript both sides sign. It binds the network, the protocol version, both node
 * ids (the hashes of their keys), both fresh challenges and the whole secure channel exchange (the
 * dialler's offer of suites and key shares, the listener's choice and share), so a proof can be
 * neither replayed on another link nor moved to another network, and a suite removed from the offer
 * on the way breaks both proofs. The labels differ so one side's proof never serves as the other's.
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
        return Transcript.hash(utf8("meshkit/handshake/v2"), utf8(network),
                ByteBuffer.allocate(4).putInt(version).array(), dialerChallenge, dialer.bytes(), listener.bytes(), listenerChallenge,
                offer == null ? new byte[0] : offer, answer == null ? new byte[0] : answer);
    }

    /** What the listener signs in its welcome. */
    static byte[] welcome(byte[] transcriptHash) {
        return Transcript.encode(utf8("meshkit/handshake/v2/welcome"), transcriptHash);
    }

    /** What the dialler signs in its auth. */
    static byte[] auth(byte[] transcriptHash) {
        return Transcript.encode(utf8("meshkit/handshake/v2/auth"), transcriptHash);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
