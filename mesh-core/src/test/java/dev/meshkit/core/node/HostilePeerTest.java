package dev.meshkit.core.node;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshkit.api.DefenceSettings;
import dev.meshkit.api.DisconnectReason;
import dev.meshkit.api.Endpoint;
import dev.meshkit.api.MeshEvent;
import dev.meshkit.api.MeshNode;
import dev.meshkit.api.Message;
import dev.meshkit.api.MessageId;
import dev.meshkit.api.NodeId;
import dev.meshkit.api.PeerInfo;
import dev.meshkit.api.PeerScore;
import dev.meshkit.api.PeerScoring;
import dev.meshkit.api.RefusalReason;
import dev.meshkit.api.Reputation;
import dev.meshkit.api.spi.TrustDecision;
import dev.meshkit.api.spi.TrustPolicy;
import dev.meshkit.api.wire.Envelope;
import dev.meshkit.api.wire.Frame;
import dev.meshkit.core.gossip.EnvelopeSigning;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A neighbour that completed the handshake and then misbehaves must not break the node. */
class HostilePeerTest extends MemNodeTest {
    /** With the default scoring the third invalid message (-90) crosses the disconnect threshold (-80). */
    private static final int INVALID_TO_DISCONNECT = 3;

    @Test
    void forgedCopiesOfOneMessageQueueAtMostTwoVerificationsAndCannotBlockIt() throws Exception {
        MeshNode n = start(builder("victim"));
        List<Message> got = new CopyOnWriteArrayList<>();
        n.on("x", got::add);
        try (RawPeer forger = joined("victim", n); RawPeer honest = joined("victim", n)) {
            Envelope genuine = honest.envelope("x", System.currentTimeMillis(), 1, new byte[] {7});
            SecureRandom r = new SecureRandom();
            for (int i = 0; i < 2000; i++) {
                byte[] sig = new byte[64];
                r.nextBytes(sig);
                forger.send(new Frame.Publish(new Envelope("x", genuine.origin(), null, genuine.timestamp(),
                        genuine.sequence(), 0, 0, genuine.payload(), genuine.publicKey(), sig), null));
            }
            assertEquals(1008, forger.closeCode.get(10, TimeUnit.SECONDS), "the forger is cut off");
            // Beyond two copies in flight per id, copies are dropped rather than queued for the workers.
            assertTrue(n.stats().dropped() > 0, "no copy was dropped: " + n.stats());
            // Only the checks already under way when it was cut off still end.
            assertTrue(n.stats().badSignatures() < 2 * INVALID_TO_DISCONNECT, "checks went on: " + n.stats());
            // The forgeries never entered the dedup cache, so the genuine message still gets through.
            honest.send(new Frame.Publish(genuine, null));
            await().atMost(10, TimeUnit.SECONDS).until(() -> got.size() == 1);
        }
    }

    @Test
    void aNeighbourRelayingBadSignaturesIsCutOffAndRefusedWhenItComesBack() throws Exception {
        MeshNode n = start(builder("victim"));
        List<MeshEvent.PeerDisconnected> gone = new CopyOnWriteArrayList<>();
        n.onEvent(ev -> {
            if (ev instanceof MeshEvent.PeerDisconnected) {
                gone.add((MeshEvent.PeerDisconnected) ev);
            }
        });
        RawPeer relay = joined("victim", n);
        for (int i = 1; i < INVALID_TO_DISCONNECT; i++) {
            Envelope e = relay.envelope("x", System.currentTimeMillis(), i, new byte[] {(byte) i});
            byte[] sig = e.signature().clone();
            sig[0] ^= 1;
            relay.send(new Frame.Publish(new Envelope("x", e.origin(), null, e.timestamp(), e.sequence(), 0, 0,
                    e.payload(), e.publicKey(), sig), null));
        }
        await().atMost(5, TimeUnit.SECONDS).until(() -> n.stats().badSignatures() == INVALID_TO_DISCONNECT - 1);
        assertTrue(relay.isOpen(), "a few bad signatures are let pass");
        Envelope last = relay.envelope("x", System.currentTimeMillis(), 99, new byte[0]);
        relay.send(new Frame.Publish(new Envelope("x", last.origin(), null, last.timestamp(), last.sequence(), 0, 0,
                last.payload(), last.publicKey(), new byte[64]), null));
        assertEquals(1008, relay.closeCode.get(5, TimeUnit.SECONDS));
        await().atMost(5, TimeUnit.SECONDS).until(() -> gone.size() == 1);
        assertEquals(DisconnectReason.MISBEHAVED, gone.get(0).reason());
        // Its score stays visible after it left, and says why.
        NodeId relayId = relay.keys.nodeId();
        await().atMost(5, TimeUnit.SECONDS).until(() -> n.scores().stream()
                .anyMatch(p -> p.id().equals(relayId) && !p.connected() && p.reputation() == Reputation.BANNED));
        PeerScore score = n.scores().stream().filter(p -> p.id().equals(relayId)).findFirst().orElseThrow();
        assertTrue(score.invalidMessages() > 2 && score.score() < PeerScoring.defaults().disconnectThreshold(),
                score.toString());
        try (RawPeer again = RawPeer.dial(net.transport(), Endpoint.parse("mem://victim"), relay.keys)) {
            byte[] challenge = RawPeer.challenge();
            again.send(again.hello(CoreNode.PROTOCOL_VERSION, "meshkit", "ed25519", again.keys.publicKey(), challenge,
                    null, -1));
            Frame.Refuse refusal = again.expect(Frame.Refuse.class);
            assertEquals(RefusalReason.BANNED.wireName(), refusal.reason());
        }
        try (RawPeer other = joined("victim", n)) {
            assertTrue(other.isOpen(), "the node still serves others");
        }
    }

    @Test
    void framesQueuedInOneTurnOfTheLoopLeaveAsOneBundleInOrder() throws Exception {
        MeshNode n = start(builder("burst"));
        // A handler runs on the node's event loop: its 50 broadcasts are queued in one turn.
        n.on("go", m -> {
            for (int i = 0; i < 50; i++) {
                n.broadcast("burst", new byte[] {(byte) i});
            }
        });
        try (RawPeer raw = joined("burst", n)) {
            raw.send(new Frame.Publish(raw.envelope("go", System.currentTimeMillis(), 1, new byte[0]), null));
            List<Integer> order = new ArrayList<>();
            while (order.size() < 50) {
                Frame f = raw.received.poll(5, TimeUnit.SECONDS);
                assertTrue(f != null, "only " + order.size() + " of 50 broadcasts arrived");
                if (f instanceof Frame.Publish p && p.envelope().type().equals("burst")) {
                    order.add((int) p.envelope().payload()[0]);
                }
            }
            assertEquals(java.util.stream.IntStream.range(0, 50).boxed().toList(), order);
            assertTrue(raw.bundleSizes.contains(50), "one bundle of 50: " + raw.bundleSizes);
        }
    }

    @Test
    void aBundleFromAPeerIsDeliveredInOrderAndABrokenOneOnlyCostsItself() throws Exception {
        MeshNode n = start(builder("bundled"));
        List<Message> got = new CopyOnWriteArrayList<>();
        n.on("x", got::add);
        try (RawPeer raw = joined("bundled", n)) {
            long now = System.currentTimeMillis();
            List<byte[]> frames = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                frames.add(raw.codec.encode(new Frame.Publish(raw.envelope("x", now, i + 1, new byte[] {(byte) i}),
                        null)));
            }
            byte[] bundle = raw.codec.bundle(frames);
            byte[] broken = java.util.Arrays.copyOf(bundle, bundle.length - 3);
            raw.sendRaw(broken);
            raw.sendRaw(bundle);
            await().atMost(5, TimeUnit.SECONDS).until(() -> got.size() == 3);
            assertEquals(List.of(0, 1, 2), got.stream().map(m -> (int) m.payload()[0]).toList());
            assertTrue(n.stats().badFrames() >= 1, "the broken bundle was counted: " + n.stats());
            assertTrue(raw.isOpen(), "a broken bundle does not cost the link");
        }
    }

    @Test
    void aForgedCopyDoesNotSilenceTheAnnouncementThatBringsTheGenuineOne() throws Exception {
        MeshNode n = start(builder("censored"));
        List<Message> got = new CopyOnWriteArrayList<>();
        n.on("x", got::add);
        try (RawPeer raw = joined("censored", n)) {
            Envelope genuine = raw.envelope("x", System.currentTimeMillis(), 1, new byte[] {5});
            byte[] badSig = genuine.signature().clone();
            badSig[0] ^= 1;
            Envelope forged = new Envelope("x", genuine.origin(), null, genuine.timestamp(), genuine.sequence(), 0, 0,
                    genuine.payload(), genuine.publicKey(), badSig);
            MessageId id = EnvelopeSigning.messageId(EnvelopeSigning.signedBytes(genuine));
            // The forgery and an announcement of the same id arrive together; the node must not
            // take the copy under verification for the message.
            raw.send(new Frame.Publish(forged, null));
            raw.send(new Frame.IHave(List.of(id)));
            Frame.Graft graft = null;
            for (Frame f; graft == null && (f = raw.received.poll(5, TimeUnit.SECONDS)) != null; ) {
                if (f instanceof Frame.Graft g) {
                    graft = g;
                }
            }
            assertTrue(graft != null && graft.ids().contains(id), "the node asked for the message: " + graft);
            raw.send(new Frame.Publish(genuine, null));
            await().atMost(5, TimeUnit.SECONDS).until(() -> got.size() == 1);
            assertEquals(1, n.stats().badSignatures());
        }
    }

    @Test
    void aMessageOlderThanTheDedupWindowIsRefusedSoItCanNeverBeDeliveredTwice() throws Exception {
        MeshNode n = start(builder("keeper").defences(DefenceSettings.builder()
                .messageWindow(Duration.ofMillis(800), Duration.ofMillis(200)).build()));
        List<Message> got = new CopyOnWriteArrayList<>();
        n.on("x", got::add);
        try (RawPeer raw = joined("keeper", n)) {
            Envelope e = raw.envelope("x", System.currentTimeMillis(), 1, new byte[] {1});
            raw.send(new Frame.Publish(e, null));
            await().atMost(5, TimeUnit.SECONDS).until(() -> got.size() == 1);
            Thread.sleep(1000); // the id has left the dedup cache
            raw.send(new Frame.Publish(e, null));
            raw.send(new Frame.Publish(raw.envelope("x", System.currentTimeMillis() + 3_600_000, 2, new byte[] {2}), null));
            await().atMost(5, TimeUnit.SECONDS).until(() -> n.stats().stale() == 2);
            assertEquals(1, got.size());
        }
    }

    @Test
    void aClaimedListenEndpointCannotHijackConnect() throws Exception {
        MeshNode genuine = start(builder("genuine"));
        MeshNode v = start(builder("v"));
        try (RawPeer liar = RawPeer.dial(net.transport(), Endpoint.parse("mem://v"))) {
            byte[] challenge = RawPeer.challenge();
            // The liar claims to listen where the genuine node does.
            liar.send(liar.hello(CoreNode.PROTOCOL_VERSION, "meshkit", "ed25519", liar.keys.publicKey(),
                    challenge, Endpoint.parse("mem://genuine"), -1));
            liar.complete("meshkit", challenge, liar.expect(Frame.Welcome.class));
            await().atMost(5, TimeUnit.SECONDS).until(() -> v.peers().size() == 1);
            assertEquals(genuine.id(), v.connect("mem://genuine").get(5, TimeUnit.SECONDS));
            // Forged peer records naming the genuine endpoint do not stop the node from dialling it.
            liar.send(new Frame.PeerList(List.of(new dev.meshkit.api.wire.PeerRecord(liar.keys.nodeId(),
                    Endpoint.parse("mem://genuine")))));
            await().atMost(5, TimeUnit.SECONDS).until(() -> v.peers().stream().anyMatch(p -> p.id().equals(genuine.id())));
        }
    }

    @Test
    void aLongMessageTypeIsABadFrameNotAnAmbiguousSignature() throws Exception {
        MeshNode n = start(builder("strict"));
        try (RawPeer raw = joined("strict", n)) {
            raw.send(new Frame.Publish(raw.envelope("t".repeat(1000), System.currentTimeMillis(), 1, new byte[0]), null));
            await().atMost(5, TimeUnit.SECONDS).until(() -> n.stats().badFrames() == 1);
            assertTrue(raw.isOpen());
        }
    }

    @Test
    void aTrustPolicyThatThrowsRefusesInsteadOfLeavingAStuckSession() throws Exception {
        TrustPolicy broken = new TrustPolicy() {
            @Override
            public TrustDecision admitPeer(PeerInfo peer) {
                throw new IllegalStateException("policy bug");
            }
        };
        MeshNode n = start(builder("fragile").trustPolicy(broken));
        try (RawPeer raw = RawPeer.dial(net.transport(), Endpoint.parse("mem://fragile"))) {
            raw.handshake("meshkit");
            assertEquals("policy", raw.expect(Frame.Refuse.class).reason());
            assertEquals(1008, raw.closeCode.get(5, TimeUnit.SECONDS));
        }
        assertTrue(n.peers().isEmpty());
        assertTrue(n.isRunning());
    }

    @Test
    void aLyingIdHintOnlyHurtsItsOwnFrame() throws Exception {
        MeshNode n = start(builder("hinted"));
        List<Message> got = new CopyOnWriteArrayList<>();
        n.on("x", got::add);
        try (RawPeer raw = joined("hinted", n)) {
            Envelope first = raw.envelope("x", System.currentTimeMillis(), 1, new byte[] {1});
            Envelope second = raw.envelope("x", System.currentTimeMillis(), 2, new byte[] {2});
            dev.meshkit.api.MessageId firstId = dev.meshkit.core.gossip.EnvelopeSigning.messageId(
                    dev.meshkit.core.gossip.EnvelopeSigning.signedBytes(first));
            // A hint that does not match its message is a bad frame.
            raw.send(new Frame.Publish(second, firstId));
            await().atMost(5, TimeUnit.SECONDS).until(() -> n.stats().badFrames() == 1);
            raw.send(new Frame.Publish(first, firstId));
            await().atMost(5, TimeUnit.SECONDS).until(() -> got.size() == 1);
            // Claiming an id already seen gets only that frame dropped; the real message still arrives.
            raw.send(new Frame.Publish(second, firstId));
            raw.send(new Frame.Publish(second, null));
            await().atMost(5, TimeUnit.SECONDS).until(() -> got.size() == 2);
            assertEquals(2, got.get(1).payload()[0]);
        }
    }

    @Test
    void fakeNewcomersClaimingNoLinksCannotEvictLongLivedNeighbours() throws Exception {
        MeshNode n = start(builder("popular").maxPeers(3));
        List<MeshNode> honest = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            honest.add(start(builder("h" + i).seed("mem://popular")));
        }
        await().atMost(5, TimeUnit.SECONDS).until(() -> n.peers().size() == 3);
        List<RawPeer> fakes = new ArrayList<>();
        try {
            for (int i = 0; i < 4; i++) {
                RawPeer fake = RawPeer.dial(net.transport(), Endpoint.parse("mem://popular"));
                fakes.add(fake);
                fake.handshake("meshkit", 0);
                Thread.sleep(1100); // one displacement per second at most
            }
            // Room was made once, for the first fake (whichever honest link was youngest); every later
            // fake displaced the previous fake, so four fakes cost at most one honest neighbour.
            long honestLeft = honest.stream()
                    .filter(h -> n.peers().stream().anyMatch(p -> p.id().equals(h.id()))).count();
            assertTrue(honestLeft >= 2, "honest neighbours left: " + honestLeft);
            assertEquals(3, n.peers().size());
        } finally {
            fakes.forEach(RawPeer::close);
        }
    }
}
