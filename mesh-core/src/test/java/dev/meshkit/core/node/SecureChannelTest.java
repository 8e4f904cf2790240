package dev.meshkit.core.node;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshkit.api.ChannelSettings;
import dev.meshkit.api.DefenceSettings;
import dev.meshkit.api.ErrorCode;
import dev.meshkit.api.HandshakeRefusedException;
import dev.meshkit.api.MeshException;
import dev.meshkit.api.MeshNode;
import dev.meshkit.api.Message;
import dev.meshkit.api.Rate;
import dev.meshkit.api.RefusalReason;
import dev.meshkit.api.wire.Frame;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Link encryption between whole nodes and against a hand-driven peer that tampers with records. */
class SecureChannelTest extends MemNodeTest {

    private static ChannelSettings key(String text) {
        return ChannelSettings.builder().networkKey(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)).build();
    }

    private RefusalReason refusal(MeshNode dialler, String target) {
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> dialler.connect("mem://" + target).get(5, TimeUnit.SECONDS));
        return assertInstanceOf(HandshakeRefusedException.class, e.getCause()).reason();
    }

    /** True when a fresh peer can still complete a handshake with the node: it serves others. */
    private void stillServes(String target, MeshNode node) throws Exception {
        try (RawPeer other = dial(target)) {
            assertEquals(node.id(), other.handshake("meshkit"));
            await().atMost(5, TimeUnit.SECONDS).until(() -> node.peers().stream()
                    .anyMatch(p -> p.id().equals(other.keys.nodeId())));
        }
    }

    @Test
    void afterTheHandshakeEveryFrameIsARecord() throws Exception {
        MeshNode n = start(builder("n").keepalive(Duration.ofMillis(200), Duration.ofSeconds(5)));
        try (RawPeer raw = joined("n", n)) {
            // Keepalive pings come sealed; the peer answers sealed pongs, which keep it alive.
            await().atMost(5, TimeUnit.SECONDS).until(() -> raw.recordsOpened.get() >= 3);
            raw.send(new Frame.Publish(raw.envelope("x", System.currentTimeMillis(), 1, new byte[] {1}), null));
            await().atMost(5, TimeUnit.SECONDS).until(() -> n.stats().delivered() == 1);
            assertTrue(raw.isOpen());
        }
    }

    @Test
    void aTamperedRecordClosesTheLinkAndTheNodeServesOthers() throws Exception {
        MeshNode n = start(builder("t"));
        try (RawPeer raw = joined("t", n)) {
            byte[] record = raw.seal(raw.codec.encode(new Frame.Ping(1)));
            record[record.length - 1] ^= 1;
            raw.sendWire(record);
            assertEquals(1008, raw.closeCode.get(5, TimeUnit.SECONDS));
        }
        await().atMost(5, TimeUnit.SECONDS).until(() -> n.peers().isEmpty());
        assertEquals(1, n.stats().badFrames());
        stillServes("t", n);
    }

    @Test
    void aReplayedRecordClosesTheLink() throws Exception {
        MeshNode n = start(builder("r"));
        List<Message> got = new CopyOnWriteArrayList<>();
        n.on("x", got::add);
        try (RawPeer raw = joined("r", n)) {
            byte[] record = raw.seal(raw.codec.encode(new Frame.Publish(
                    raw.envelope("x", System.currentTimeMillis(), 1, new byte[] {1}), null)));
            raw.sendWire(record);
            await().atMost(5, TimeUnit.SECONDS).until(() -> got.size() == 1);
            raw.sendWire(record);
            assertEquals(1008, raw.closeCode.get(5, TimeUnit.SECONDS));
        }
        assertEquals(1, got.size());
        stillServes("r", n);
    }

    @Test
    void aRecordOutOfOrderClosesTheLink() throws Exception {
        MeshNode n = start(builder("o"));
        List<Message> got = new CopyOnWriteArrayList<>();
        n.on("x", got::add);
        try (RawPeer raw = joined("o", n)) {
            long now = System.currentTimeMillis();
            byte[] first = raw.seal(raw.codec.encode(new Frame.Publish(raw.envelope("x", now, 1, new byte[0]), null)));
            byte[] second = raw.seal(raw.codec.encode(new Frame.Publish(raw.envelope("x", now, 2, new byte[0]), null)));
            raw.sendWire(second);
            raw.sendWire(first);
            assertEquals(1008, raw.closeCode.get(5, TimeUnit.SECONDS));
        }
        assertTrue(got.isEmpty());
        stillServes("o", n);
    }

    @Test
    void aPlaintextFrameOnAnEncryptedLinkClosesIt() throws Exception {
        MeshNode n = start(builder("p"));
        List<Message> got = new CopyOnWriteArrayList<>();
        n.on("x", got::add);
        try (RawPeer raw = joined("p", n)) {
            raw.sendWire(raw.codec.encode(new Frame.Publish(raw.envelope("x", System.currentTimeMillis(), 1,
                    new byte[0]), null)));
            assertEquals(1008, raw.closeCode.get(5, TimeUnit.SECONDS));
        }
        assertTrue(got.isEmpty());
        stillServes("p", n);
    }

    @Test
    void aPlaintextRefusalAfterThePeersFirstRecordIsAnInjection() throws Exception {
        MeshNode n = start(builder("inj"));
        try (RawPeer raw = joined("inj", n)) {
            raw.send(new Frame.Ping(7)); // sealed: the node has now opened a record from this peer
            await().atMost(5, TimeUnit.SECONDS).until(() -> raw.received.stream()
                    .anyMatch(f -> f instanceof Frame.Pong p && p.nonce() == 7));
            raw.sendWire(raw.codec.encode(new Frame.Refuse("full", "forged")));
            assertEquals(1008, raw.closeCode.get(5, TimeUnit.SECONDS));
        }
        assertEquals(1, n.stats().badFrames());
    }

    @Test
    void aRecordBeforeAnyKeyExchangeEndsTheHandshake() throws Exception {
        MeshNode n = start(builder("early"));
        try (RawPeer raw = dial("early")) {
            byte[] fake = new byte[64];
            fake[0] = dev.meshkit.core.channel.Records.MARKER;
            raw.sendWire(fake);
            assertEquals(RefusalReason.PROTOCOL_ERROR.wireName(), raw.expect(Frame.Refuse.class).reason());
        }
        stillServes("early", n);
    }

    @Test
    void nodesWithTheSameNetworkKeyLinkAndOthersAreRefused() throws Exception {
        MeshNode a = start(builder("a").channel(key("correct horse battery staple, 32+ bytes")));
        MeshNode b = start(builder("b").channel(key("correct horse battery staple, 32+ bytes")));
        MeshNode wrong = start(builder("wrong").channel(key("another network key, also 32+ bytes")));
        MeshNode none = start(builder("none"));
        assertEquals(a.id(), b.connect("mem://a").get(5, TimeUnit.SECONDS));
        assertEquals("x25519-aes256gcm", b.peers().get(0).suite());
        assertEquals(RefusalReason.NETWORK_KEY_MISMATCH, refusal(wrong, "a"));
        assertEquals(RefusalReason.NETWORK_KEY_MISMATCH, refusal(none, "a"));
        assertEquals(RefusalReason.NETWORK_KEY_MISMATCH, refusal(a, "none"));
        assertEquals(1, a.peers().size());
        assertTrue(wrong.peers().isEmpty() && none.peers().isEmpty());
    }

    @Test
    void plaintextAndEncryptedNodesRefuseEachOther() throws Exception {
        MeshNode plain = start(builder("plain").channel(ChannelSettings.plaintext()));
        MeshNode plain2 = start(builder("plain2").channel(ChannelSettings.plaintext()));
        MeshNode secure = start(builder("secure"));
        assertEquals(RefusalReason.UNSUPPORTED_SUITE, refusal(secure, "plain"));
        assertEquals(RefusalReason.UNSUPPORTED_SUITE, refusal(plain, "secure"));
        assertEquals(plain.id(), plain2.connect("mem://plain").get(5, TimeUnit.SECONDS));
        assertEquals(ChannelSettings.PLAINTEXT, plain2.peers().get(0).suite());
    }

    @Test
    void requiringPostQuantumLinksWithAClassicalIdentityIsABadConfig() {
        MeshException e = assertThrows(MeshException.class, () -> builder("pq")
                .channel(ChannelSettings.builder().requirePostQuantum(true).build()).build());
        assertEquals(ErrorCode.INVALID_CONFIG, e.code());
    }

    @Test
    void frequentRekeysInBothDirectionsAtOnceLoseNothing() throws Exception {
        ChannelSettings often = ChannelSettings.builder().rekeyAfter(Duration.ofMillis(50), 3).build();
        // 300 messages each at once: more than the default per-origin burst.
        DefenceSettings fast = DefenceSettings.builder().messages(new Rate(10_000, 1000)).build();
        MeshNode a = start(builder("ra").channel(often).defences(fast));
        MeshNode b = start(builder("rb").channel(often).defences(fast));
        List<Message> atA = new CopyOnWriteArrayList<>();
        List<Message> atB = new CopyOnWriteArrayList<>();
        a.on("m", atA::add);
        b.on("m", atB::add);
        b.connect("mem://ra").get(5, TimeUnit.SECONDS);
        Thread other = new Thread(() -> {
            for (int i = 0; i < 300; i++) {
                b.broadcast("m", new byte[] {(byte) i});
            }
        });
        other.start();
        for (int i = 0; i < 300; i++) {
            a.broadcast("m", new byte[] {(byte) i});
        }
        other.join();
        await().atMost(10, TimeUnit.SECONDS).until(() -> atA.size() == 300 && atB.size() == 300);
        assertEquals(1, a.peers().size());
        assertEquals(0, a.stats().badFrames() + b.stats().badFrames());
    }
}
