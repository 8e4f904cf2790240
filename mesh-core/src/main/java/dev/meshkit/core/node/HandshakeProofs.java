package dev.meshkit.core.node;

import dev.meshkit.api.Endpoint;
import dev.meshkit.api.NodeId;
import dev.meshkit.api.wire.PeerRecord;
import dev.meshkit.core.channel.Transcript;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The handshake transcript both sides sign. It binds the network, the protocol version, both node
 * ids (the hashes of their keys), both fresh challenges, the whole secure channel exchange (the
 * dialler's offer of suites and key shares, the listener's choice and share) and the hints each side
 * gives (listen endpoints, the dialler's neighbour count, the listener's peers), so a proof can be
 * neither replayed on another link nor moved to another network, and a suite removed or a hint
 * changed on the way breaks both proofs. The labels differ so one side's proof never serves as the
 * other's.
 */
final class HandshakeProofs {
    private HandshakeProofs() {
    }

    /**
     * SHA-256 of the transcript.
     *
     * @param offer   the hello's channel bytes, or {@code null} for a plaintext link
     * @param answer  the welcome's channel answer (without its key confirmation), or {@code null}
     * @param hello   the hello's hints, from {@link #helloHints}
     * @param welcome the welcome's hints, from {@link #welcomeHints}
     */
    static byte[] transcriptHash(String network, int version, byte[] dialerChallenge, NodeId dialer,
                                 NodeId listener, byte[] listenerChallenge, byte[] offer, byte[] answer,
                                 byte[] hello, byte[] welcome) {
        return Transcript.hash(utf8("meshkit/handshake/v3"), utf8(network),
                ByteBuffer.allocate(4).putInt(version).array(), dialerChallenge, dialer.bytes(), listener.bytes(),
                listenerChallenge, offer == null ? new byte[0] : offer, answer == null ? new byte[0] : answer,
                hello, welcome);
    }

    /** The hello's hints as the transcript takes them: its listen endpoint and neighbour count. */
    static byte[] helloHints(Endpoint listen, int links) {
        return Transcript.encode(endpoint(listen), ByteBuffer.allocate(4).putInt(links).array());
    }

    /** The welcome's hints as the transcript takes them: its listen endpoint and its peers. */
    static byte[] welcomeHints(Endpoint listen, List<PeerRecord> peers) {
        byte[][] parts = new byte[1 + 2 * peers.size()][];
        parts[0] = endpoint(listen);
        for (int i = 0; i < peers.size(); i++) {
            PeerRecord p = peers.get(i);
            parts[1 + 2 * i] = p.id() == null ? new byte[0] : p.id().bytes();
            parts[2 + 2 * i] = endpoint(p.endpoint());
        }
        return Transcript.encode(parts);
    }

    private static byte[] endpoint(Endpoint e) {
        return e == null ? new byte[0] : utf8(e.toString());
    }

    /** What the listener signs in its welcome. */
    static byte[] welcome(byte[] transcriptHash) {
        return Transcript.encode(utf8("meshkit/handshake/v3/welcome"), transcriptHash);
    }

    /** What the dialler signs in its auth. */
    static byte[] auth(byte[] transcriptHash) {
        return Transcript.encode(utf8("meshkit/handshake/v3/auth"), transcriptHash);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
