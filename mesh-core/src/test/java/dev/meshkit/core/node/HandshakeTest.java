package dev.meshkit.core.node;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshkit.api.Endpoint;
import dev.meshkit.api.HandshakeRefusedException;
import dev.meshkit.api.Mesh;
import dev.meshkit.api.MeshNode;
import dev.meshkit.api.NodeId;
import dev.meshkit.api.RefusalReason;
import dev.meshkit.api.spi.Connection;
import dev.meshkit.api.spi.ConnectionHandler;
import dev.meshkit.api.wire.Frame;
import dev.meshkit.core.MemNetwork;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HandshakeTest {
    private final MemNetwork net = new MemNetwork();
    private final Endpoint nodeAt = Endpoint.parse("mem://node");
    private MeshNode node;

    @BeforeEach
    void startNode() {
        node = Mesh.builder().transport(net.transport()).listen(nodeAt.toString()).network("hs-net")
                .handshakeTimeout(Duration.ofMillis(500)).build();
        node.start().join();
    }

    @AfterEach
    void stopNode() {
        node.stop().join();
    }

    private static byte[] challenge() {
        byte[] c = new byte[32];
        new SecureRandom().nextBytes(c);
        return c;
    }

    private void assertRefused(RawPeer raw, RefusalReason reason) throws Exception {
        Frame.Refuse r = raw.expect(Frame.Refuse.class);
        assertEquals(reason.wireName(), r.reason());
        assertEquals(reason.closeCode(), raw.closeCode.get(5, TimeUnit.SECONDS));
        assertTrue(node.peers().isEmpty());
    }

    @Test
    void aCompleteHandshakeMakesANeighbourWithAProvenId() throws Exception {
        try (RawPeer raw = RawPeer.dial(net.transport(), nodeAt)) {
            assertEquals(node.id(), raw.handshake("hs-net"));
            Thread.sleep(100);
            assertEquals(List.of(raw.keys.nodeId()), node.peers().stream().map(p -> p.id()).toList());
        }
    }

    @Test
    void aWrongAuthProofIsRefused() throws Exception {
        try (RawPeer raw = RawPeer.dial(net.transport(), nodeAt)) {
            raw.send(new Frame.Hello(CoreNode.PROTOCOL_VERSION, "hs-net", "ed25519", raw.keys.publicKey(), challenge(),
                    null, -1));
            raw.expect(Frame.Welcome.class);
            raw.send(new Frame.Auth(new byte[64]));
            assertRefused(raw, RefusalReason.BAD_PROOF);
        }
    }

    @Test
    void aProofFromAnotherHandshakeCannotBeReplayed() throws Exception {
        byte[] first = challenge();
        byte[] proof;
        try (RawPeer raw = RawPeer.dial(net.transport(), nodeAt)) {
            raw.send(new Frame.Hello(CoreNode.PROTOCOL_VERSION, "hs-net", "ed25519", raw.keys.publicKey(), first, null, -1));
            Frame.Welcome w = raw.expect(Frame.Welcome.class);
            proof = raw.signer.sign(HandshakeProofs.auth("hs-net", CoreNode.PROTOCOL_VERSION, first, raw.keys.nodeId(),
                    node.id(), w.challenge()));
            // Replay the same hello and proof on a new link: the node's fresh challenge differs.
            try (RawPeer again = RawPeer.dial(net.transport(), nodeAt)) {
                again.send(new Frame.Hello(CoreNode.PROTOCOL_VERSION, "hs-net", "ed25519", raw.keys.publicKey(), first,
                        null, -1));
                again.expect(Frame.Welcome.class);
                again.send(new Frame.Auth(proof));
                Frame.Refuse r = again.expect(Frame.Refuse.class);
                assertEquals(RefusalReason.BAD_PROOF.wireName(), r.reason());
            }
        }
    }

    @Test
    void anotherVersionIsRefused() throws Exception {
        try (RawPeer raw = RawPeer.dial(net.transport(), nodeAt)) {
            raw.send(new Frame.Hello(99, "hs-net", "ed25519", raw.keys.publicKey(), challenge(), null, -1));
            assertRefused(raw, RefusalReason.VERSION_MISMATCH);
        }
    }

    @Test
    void anotherNetworkIsRefused() throws Exception {
        try (RawPeer raw = RawPeer.dial(net.transport(), nodeAt)) {
            raw.send(new Frame.Hello(CoreNode.PROTOCOL_VERSION, "other", "ed25519", raw.keys.publicKey(), challenge(),
                    null, -1));
            assertRefused(raw, RefusalReason.NETWORK_MISMATCH);
        }
    }

    @Test
    void anotherSchemeIsRefused() throws Exception {
        try (RawPeer raw = RawPeer.dial(net.transport(), nodeAt)) {
            raw.send(new Frame.Hello(CoreNode.PROTOCOL_VERSION, "hs-net", "ml-dsa-65", raw.keys.publicKey(),
                    challenge(), null, -1));
            assertRefused(raw, RefusalReason.UNSUPPORTED_SCHEME);
        }
    }

    @Test
    void aShortChallengeOrMalformedKeyIsAProtocolError() throws Exception {
        try (RawPeer raw = RawPeer.dial(net.transport(), nodeAt)) {
            raw.send(new Frame.Hello(CoreNode.PROTOCOL_VERSION, "hs-net", "ed25519", raw.keys.publicKey(), new byte[5],
                    null, -1));
            assertRefused(raw, RefusalReason.PROTOCOL_ERROR);
        }
        try (RawPeer raw = RawPeer.dial(net.transport(), nodeAt)) {
            raw.send(new Frame.Hello(CoreNode.PROTOCOL_VERSION, "hs-net", "ed25519", new byte[7], challenge(), null, -1));
            assertRefused(raw, RefusalReason.PROTOCOL_ERROR);
        }
    }

    @Test
    void framesOutOfOrderAreAProtocolError() throws Exception {
        try (RawPeer raw = RawPeer.dial(net.transport(), nodeAt)) {
            raw.send(new Frame.Ping(1));
            assertRefused(raw, RefusalReason.PROTOCOL_ERROR);
        }
    }

    @Test
    void aSilentDiallerTimesOut() throws Exception {
        try (RawPeer raw = RawPeer.dial(net.transport(), nodeAt)) {
            assertRefused(raw, RefusalReason.TIMEOUT);
        }
    }

    @Test
    void theNodeRefusesAListenerWhoseWelcomeProofIsWrong() throws Exception {
        RawPeer impostor = new RawPeer();
        net.transport().listen(Endpoint.parse("mem://impostor"), new ConnectionHandler() {
            @Override
            public void onOpen(Connection c) {
            }

            @Override
            public void onFrame(Connection c, byte[] bytes) {
                try {
                    if (impostor.codec.decode(bytes) instanceof Frame.Hello) {
                        c.send(impostor.codec.encode(new Frame.Welcome(CoreNode.PROTOCOL_VERSION, "hs-net", "ed25519",
                                impostor.keys.publicKey(), challenge(), new byte[64], null, List.of())));
                    }
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            }

            @Override
            public void onClose(Connection c, int code, String reason, boolean remote) {
            }
        }).join();
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> node.connect("mem://impostor").get(5, TimeUnit.SECONDS));
        assertEquals(RefusalReason.BAD_PROOF, assertInstanceOf(HandshakeRefusedException.class, e.getCause()).reason());
        assertTrue(node.peers().isEmpty());
    }

    @Test
    void theTwoSidesSignDifferentTranscripts() {
        byte[] a = challenge();
        byte[] b = challenge();
        NodeId x = NodeId.ofPublicKey(new byte[] {1});
        NodeId y = NodeId.ofPublicKey(new byte[] {2});
        byte[] welcome = HandshakeProofs.welcome("n", 1, a, x, y, b);
        assertFalse(java.util.Arrays.equals(welcome, HandshakeProofs.auth("n", 1, a, x, y, b)));
        assertFalse(java.util.Arrays.equals(welcome, HandshakeProofs.welcome("m", 1, a, x, y, b)));
        assertFalse(java.util.Arrays.equals(welcome, HandshakeProofs.welcome("n", 2, a, x, y, b)));
        assertArrayEquals(welcome, HandshakeProofs.welcome("n", 1, a, x, y, b));
    }
}
