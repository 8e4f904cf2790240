package dev.meshkit.core.node;

import dev.meshkit.api.NodeId;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The transcripts each side signs in the handshake. Both bind the network, the protocol version,
 * both node ids and both fresh challenges, so a proof can be neither replayed on another link nor
 * moved to another network; the labels differ so one side's proof never serves as the other's.
 * Parts are length-prefixed, so no two different transcripts share bytes.
 */
final class HandshakeProofs {
    private HandshakeProofs() {
    }

    /** What the listener signs in its welcome. */
    static byte[] welcome(String network, int version, byte[] dialerChallenge, NodeId dialer, NodeId listener,
                          byte[] listenerChallenge) {
        return transcript("meshkit/handshake/v1/welcome", network, version, dialerChallenge, dialer, listener,
                listenerChallenge);
    }

    /** What the dialler signs in its auth. */
    static byte[] auth(String network, int version, byte[] dialerChallenge, NodeId dialer, NodeId listener,
                       byte[] listenerChallenge) {
        return transcript("meshkit/handshake/v1/auth", network, version, dialerChallenge, dialer, listener,
                listenerChallenge);
    }

    private static byte[] transcript(String label, String network, int version, byte[] dialerChallenge,
                                     NodeId dialer, NodeId listener, byte[] listenerChallenge) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        part(out, label.getBytes(StandardCharsets.UTF_8));
        part(out, network.getBytes(StandardCharsets.UTF_8));
        part(out, ByteBuffer.allocate(4).putInt(version).array());
        part(out, dialerChallenge);
        part(out, dialer.bytes());
        part(out, listener.bytes());
        part(out, listenerChallenge);
        return out.toByteArray();
    }

    private static void part(ByteArrayOutputStream out, byte[] bytes) {
        out.writeBytes(ByteBuffer.allocate(4).putInt(bytes.length).array());
        out.writeBytes(bytes);
    }
}
