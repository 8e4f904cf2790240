package dev.meshkit.core.node;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshkit.api.ChannelSettings;
import dev.meshkit.api.DefenceSettings;
import dev.meshkit.api.Endpoint;
import dev.meshkit.api.HandshakeRefusedException;
import dev.meshkit.api.Mesh;
import dev.meshkit.api.MeshNode;
import dev.meshkit.api.NodeId;
import dev.meshkit.api.RefusalReason;
import dev.meshkit.api.spi.Connection;
import dev.meshkit.api.spi.ConnectionHandler;
import dev.meshkit.api.wire.Frame;
import dev.meshkit.api.wire.PeerRecord;
import dev.meshkit.core.channel.ChannelSuites;
import dev.meshkit.core.channel.X25519ChannelProvider;
import dev.meshkit.core.defence.Puzzle;
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
            raw.send(raw.hello(CoreNode.PROTOCOL_VERSION, "hs-net", "ed25519", raw.keys.publicKey(), challenge(),
                    null, -1));
            raw.expect(Frame.Welcome.class);
            raw.send(new Frame.Auth(new byte[64], new byte[32]));
            assertRefused(raw, RefusalReason.BAD_PROOF);
        }
    }

    @Test
    void aProofFromAnotherHandshakeCannotBeReplayed() throws Exception {
        byte[] first = challenge();
        byte[] proof;
        try (RawPeer raw = RawPeer.dial(net.transport(), nodeAt)) {
            Frame.Hello hello = raw.hello(CoreNode.PROTOCOL_VERSION, "hs-net", "ed25519", raw.keys.publicKey(), first,
                    null, -1);
            raw.send(hello);
            Frame.Welcome w = raw.expect(Frame.Welcome.class);
            proof = raw.signer.sign(HandshakeProofs.auth(raw.transcript("hs-net", first, w)));
            // Replay the same hello and proof on a new link: the node's fresh challenge and key share differ.
            try (RawPeer again = RawPeer.dial(net.transport(), nodeAt)) {
                again.send(hello);
                again.expect(Frame.Welcome.class);
                again.send(new Frame.Auth(proof, new byte[32]));
                Frame.Refuse r = again.expect(Frame.Refuse.class);
                assertEquals(RefusalReason.BAD_PROOF.wireName(), r.reason());
            }
        }
    }

    @Test
    void anotherVersionIsRefused() throws Exception {
        try (RawPeer raw = RawPeer.dial(net.transport(), nodeAt)) {
            raw.send(raw.hello(99, "hs-net", "ed25519", raw.keys.publicKey(), challenge(), null, -1));
            assertRefused(raw, RefusalReason.VERSION_MISMATCH);
        }
    }

    @Test
    void anotherNetworkIsRefused() throws Exception {
        try (RawPeer raw = RawPeer.dial(net.transport(), nodeAt)) {
            raw.send(raw.hello(CoreNode.PROTOCOL_VERSION, "other", "ed25519", raw.keys.publicKey(), challenge(),
                    null, -1));
            assertRefused(raw, RefusalReason.NETWORK_MISMATCH);
        }
    }

    @Test
    void anotherSchemeIsRefused() throws Exception {
        try (RawPeer raw = RawPeer.dial(net.transport(), nodeAt)) {
            raw.send(raw.hello(CoreNode.PROTOCOL_VERSION, "hs-net", "ml-dsa-65", raw.keys.publicKey(),
                    challenge(), null, -1));
            assertRefused(raw, RefusalReason.UNSUPPORTED_SCHEME);
        }
    }

    @Test
    void aShortChallengeOrMalformedKeyIsAProtocolError() throws Exception {
        try (RawPeer raw = RawPeer.dial(net.transport(), nodeAt)) {
            raw.send(raw.hello(CoreNode.PROTOCOL_VERSION, "hs-net", "ed25519", raw.keys.publicKey(), new byte[5],
                    null, -1));
            assertRefused(raw, RefusalReason.PROTOCOL_ERROR);
        }
        try (RawPeer raw = RawPeer.dial(net.transport(), nodeAt)) {
            raw.send(raw.hello(CoreNode.PROTOCOL_VERSION, "hs-net", "ed25519", new byte[7], challenge(), null, -1));
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
                    if (impostor.codec.decode(bytes) instanceof Frame.Hello h) {
                        // A correct key exchange, but no proof of the impostor's key.
                        byte[] answer = ChannelSuites.of(ChannelSettings.defaults(), List.of(new X25519ChannelProvider()))
                                .answer(h.channel()).answer();
                        byte[] channel = java.util.Arrays.copyOf(answer, answer.length + 32);
                        c.send(impostor.codec.encode(new Frame.Welcome(CoreNode.PROTOCOL_VERSION, "hs-net", "ed25519",
                                impostor.keys.publicKey(), challenge(), new byte[64], null, List.of(), channel)));
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
        byte[] offer = {1, 2, 3};
        byte[] answer = {4, 5};
        byte[] h = HandshakeProofs.helloHints(Endpoint.parse("mem://x"), 2);
        byte[] w = HandshakeProofs.welcomeHints(null, List.of(new PeerRecord(y, Endpoint.parse("mem://z"))));
        byte[] hash = HandshakeProofs.transcriptHash("n", 1, a, x, y, b, offer, answer, h, w);
        assertFalse(java.util.Arrays.equals(HandshakeProofs.welcome(hash), HandshakeProofs.auth(hash)));
        assertArrayEquals(hash, HandshakeProofs.transcriptHash("n", 1, a, x, y, b, offer, answer, h, w));
        // Every part counts: the channel's offer and answer, and every hint.
        assertFalse(java.util.Arrays.equals(hash, HandshakeProofs.transcriptHash("m", 1, a, x, y, b, offer, answer, h, w)));
        assertFalse(java.util.Arrays.equals(hash, HandshakeProofs.transcriptHash("n", 2, a, x, y, b, offer, answer, h, w)));
        assertFalse(java.util.Arrays.equals(hash, HandshakeProofs.transcriptHash("n", 1, a, y, x, b, offer, answer, h, w)));
        assertFalse(java.util.Arrays.equals(hash, HandshakeProofs.transcriptHash("n", 1, a, x, y, b, new byte[] {1, 2},
                answer, h, w)));
        assertFalse(java.util.Arrays.equals(hash, HandshakeProofs.transcriptHash("n", 1, a, x, y, b, offer, null, h, w)));
        for (byte[] other : new byte[][] {HandshakeProofs.helloHints(Endpoint.parse("mem://y"), 2),
                HandshakeProofs.helloHints(Endpoint.parse("mem://x"), 0), HandshakeProofs.helloHints(null, 2)}) {
            assertFalse(java.util.Arrays.equals(hash, HandshakeProofs.transcriptHash("n", 1, a, x, y, b, offer, answer,
                    other, w)));
        }
        for (byte[] other : new byte[][] {HandshakeProofs.welcomeHints(null, List.of()),
                HandshakeProofs.welcomeHints(null, List.of(new PeerRecord(x, Endpoint.parse("mem://z")))),
                HandshakeProofs.welcomeHints(Endpoint.parse("mem://z"), List.of())}) {
            assertFalse(java.util.Arrays.equals(hash, HandshakeProofs.transcriptHash("n", 1, a, x, y, b, offer, answer,
                    h, other)));
        }
        // Length prefixes: moving a byte from one part to the next changes the hash.
        assertFalse(java.util.Arrays.equals(hash, HandshakeProofs.transcriptHash("n", 1, a, x, y, b,
                new byte[] {1, 2}, new byte[] {3, 4, 5}, h, w)));
    }

    @Test
    void aHintChangedOnTheWayBreaksTheProofs() throws Exception {
        try (RawPeer raw = RawPeer.dial(net.transport(), nodeAt)) {
            byte[] challenge = RawPeer.challenge();
            Frame.Hello sent = raw.hello(CoreNode.PROTOCOL_VERSION, "hs-net", "ed25519", raw.keys.publicKey(), challenge,
                    Endpoint.parse("mem://honest"), 3);
            // A relay swaps the listen endpoint for its own: the dialler signs what it sent, the
            // listener checks what it got.
            raw.send(new Frame.Hello(sent.version(), sent.network(), sent.scheme(), sent.publicKey(), sent.challenge(),
                    Endpoint.parse("mem://relay"), sent.links(), sent.channel()));
            raw.complete("hs-net", challenge, raw.expect(Frame.Welcome.class));
            assertRefused(raw, RefusalReason.BAD_PROOF);
        }
        try (RawPeer raw = RawPeer.dial(net.transport(), nodeAt)) {
            byte[] challenge = RawPeer.challenge();
            raw.send(raw.hello(CoreNode.PROTOCOL_VERSION, "hs-net", "ed25519", raw.keys.publicKey(), challenge, null,
                    -1));
            Frame.Welcome w = raw.expect(Frame.Welcome.class);
            // The same on the way back: the welcome's listen endpoint, as the dialler would get it.
            raw.complete("hs-net", challenge, new Frame.Welcome(w.version(), w.network(), w.scheme(), w.publicKey(),
                    w.challenge(), w.proof(), Endpoint.parse("mem://relay"), w.peers(), w.channel()));
            assertRefused(raw, RefusalReason.BAD_PROOF);
        }
    }


    @Test
    void aDiallerPaysWithWorkBoundToItsConnectionBeforeTheNodeSignsAnything() throws Exception {
        byte[] work;
        Frame.Hello hello;
        try (RawPeer raw = RawPeer.dial(net.transport(), nodeAt)) {
            raw.solvePuzzles = false;
            hello = raw.hello(CoreNode.PROTOCOL_VERSION, "hs-net", "ed25519", raw.keys.publicKey(), challenge(), null, -1);
            raw.send(hello);
            Frame.Puzzle p = raw.expect(Frame.Puzzle.class);
            assertEquals(DefenceSettings.defaults().puzzleMinBits(), p.bits(), "an idle node asks the least");
            assertTrue(raw.received.stream().noneMatch(f -> f instanceof Frame.Welcome), "nothing signed yet");
            work = Puzzle.solve(p.seed(), hello.challenge(), raw.keys.nodeId(), p.bits(), () -> false);
            raw.send(new Frame.Work(work));
            raw.expect(Frame.Welcome.class);
        }
        // The same hello and work on a new connection meet a new seed. An 8-bit answer fits a random seed
        // once in 256 tries, so a connection whose seed it happens to fit is closed and another opened.
        for (int attempt = 0; ; attempt++) {
            try (RawPeer again = RawPeer.dial(net.transport(), nodeAt)) {
                again.solvePuzzles = false;
                again.send(hello);
                Frame.Puzzle p = again.expect(Frame.Puzzle.class);
                if (Puzzle.solved(p.seed(), hello.challenge(), NodeId.ofPublicKey(hello.publicKey()), work, p.bits())) {
                    assertTrue(attempt < 3, "old work fitted three fresh seeds");
                    continue;
                }
                again.send(new Frame.Work(work));
                assertRefused(again, RefusalReason.BAD_WORK);
                return;
            }
        }
    }

    @Test
    void theWorkAskedRisesWithTheHandshakesUnderWay() throws Exception {
        List<RawPeer> stalled = new java.util.ArrayList<>();
        try {
            int before = -1;
            for (int i = 0; i < 12; i++) {
                RawPeer raw = RawPeer.dial(net.transport(), nodeAt);
                stalled.add(raw);
                raw.solvePuzzles = false;
                raw.send(raw.hello(CoreNode.PROTOCOL_VERSION, "hs-net", "ed25519", raw.keys.publicKey(), challenge(),
                        null, -1));
                int bits = raw.expect(Frame.Puzzle.class).bits();
                assertTrue(bits >= before, bits + " after " + before);
                before = bits;
            }
            assertTrue(before > DefenceSettings.defaults().puzzleMinBits(), "rose to " + before);
        } finally {
            stalled.forEach(RawPeer::close);
        }
    }

    @Test
    void aDiallerRefusesAPuzzleHarderThanItSolves() throws Exception {
        MeshNode greedy = Mesh.builder().transport(net.transport()).listen("mem://greedy").network("hs-net")
                .defences(DefenceSettings.builder().puzzle(24, 24).build()).build();
        greedy.start().join();
        try {
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> node.connect("mem://greedy").get(5, TimeUnit.SECONDS));
            HandshakeRefusedException refused = assertInstanceOf(HandshakeRefusedException.class, e.getCause());
            assertEquals(RefusalReason.BAD_WORK, refused.reason());
        } finally {
            greedy.stop().join();
        }
    }
}
