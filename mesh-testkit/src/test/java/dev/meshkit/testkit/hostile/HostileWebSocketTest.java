package dev.meshkit.testkit.hostile;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshkit.api.DefenceSettings;
import dev.meshkit.api.DisconnectReason;
import dev.meshkit.api.Endpoint;
import dev.meshkit.api.Mesh;
import dev.meshkit.api.MeshEvent;
import dev.meshkit.api.MeshNode;
import dev.meshkit.api.Message;
import dev.meshkit.api.NodeId;
import dev.meshkit.api.Rate;
import dev.meshkit.api.RefusalReason;
import dev.meshkit.api.Reputation;
import dev.meshkit.api.spi.Transport;
import dev.meshkit.api.spi.TransportOptions;
import dev.meshkit.api.spi.TransportProvider;
import dev.meshkit.api.wire.Envelope;
import dev.meshkit.api.wire.Frame;
import dev.meshkit.core.node.RawPeer;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Hostile peers against a node on real WebSockets, on loopback. Loopback is exempt from the
 * address-keyed defences by default, so the victim here exempts nothing. Each test shows the attacker
 * limited, scored down or banned, the victim's tables bounded, and an honest neighbour still served:
 * the victim dials the honest node, so that link is outbound and none of the inbound limits touch it.
 */
@Timeout(120)
class HostileWebSocketTest {
    private static final String NET = "hostile";
    private static final String TYPE = "m";

    private final List<AutoCloseable> open = new ArrayList<>();
    private final List<Message> atVictim = new CopyOnWriteArrayList<>();
    private final List<Message> atHonest = new CopyOnWriteArrayList<>();
    private final List<MeshEvent.PeerDisconnected> dropped = new CopyOnWriteArrayList<>();
    private Transport ws;
    private MeshNode honest;
    private MeshNode victim;
    private Endpoint victimAt;

    @BeforeEach
    void startHonestNode() {
        ws = wsTransport();
        honest = node(Mesh.builder().network(NET).listen("ws://127.0.0.1:0"));
        honest.on(TYPE, atHonest::add);
    }

    @AfterEach
    void closeAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            try {
                open.get(i).close();
            } catch (Exception | AssertionError e) {
                // already gone
            }
        }
        ws.close();
    }

    private static Transport wsTransport() {
        return ServiceLoader.load(TransportProvider.class).stream().map(ServiceLoader.Provider::get)
                .filter(p -> p.schemes().contains("ws")).findFirst().orElseThrow()
                .create(TransportOptions.defaults());
    }

    private MeshNode node(dev.meshkit.api.MeshBuilder b) {
        MeshNode n = b.build();
        open.add(n);
        n.start().join();
        return n;
    }

    /** The victim: loopback not exempt, everything else as given; linked to the honest node. */
    private void startVictim(DefenceSettings.Builder defences) throws Exception {
        startVictim(Mesh.builder(), defences);
    }

    private void startVictim(dev.meshkit.api.MeshBuilder b, DefenceSettings.Builder defences) throws Exception {
        victim = node(b.network(NET).listen("ws://127.0.0.1:0").defences(defences.exempt(List.of()).build()));
        victim.on(TYPE, atVictim::add);
        victim.onEvent(e -> {
            if (e instanceof MeshEvent.PeerDisconnected d) {
                dropped.add(d);
            }
        });
        victimAt = victim.endpoints().get(0);
        victim.connect(honest.endpoints().get(0)).get(10, TimeUnit.SECONDS);
    }

    private static DefenceSettings.Builder defences() {
        return DefenceSettings.builder();
    }

    private RawPeer dial() throws Exception {
        return dial(ws);
    }

    private RawPeer dial(Transport transport) throws Exception {
        RawPeer p = RawPeer.dial(transport, victimAt);
        open.add(p);
        return p;
    }

    private RawPeer joined() throws Exception {
        RawPeer p = dial();
        p.handshake(NET);
        await().atMost(10, TimeUnit.SECONDS).until(() -> victim.peers().stream()
                .anyMatch(i -> i.id().equals(p.keys.nodeId())));
        return p;
    }

    /** Both ways across the honest link, a message arrives. */
    private void assertHonestServed() {
        int before = atHonest.size();
        int beforeVictim = atVictim.size();
        victim.broadcast(TYPE, "from the victim".getBytes(StandardCharsets.UTF_8));
        honest.broadcast(TYPE, "from the honest node".getBytes(StandardCharsets.UTF_8));
        await().atMost(10, TimeUnit.SECONDS).until(() -> atHonest.size() > before && atVictim.size() > beforeVictim);
        assertTrue(victim.peers().stream().anyMatch(p -> p.id().equals(honest.id())), "the honest link stays");
    }

    private static Integer closeCode(RawPeer p) throws Exception {
        try {
            return p.closeCode.get(10, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            return null;
        }
    }

    private boolean isPeer(RawPeer p) {
        return victim.peers().stream().anyMatch(i -> i.id().equals(p.keys.nodeId()));
    }

    private static boolean hasRefusal(RawPeer p) {
        return p.received.stream().anyMatch(f -> f instanceof Frame.Refuse);
    }

    private static Frame.Hello hello(RawPeer p) {
        return p.hello(NET, RawPeer.challenge());
    }

    private static Envelope relayed(Envelope e, int ttl, int hops) {
        return new Envelope(e.type(), e.origin(), e.destination(), e.timestamp(), e.sequence(), ttl, hops, e.payload(),
                e.publicKey(), e.signature());
    }

    private long deliveredFrom(NodeId origin, List<Message> at) {
        return at.stream().filter(m -> m.origin().equals(origin)).count();
    }

    // ------------------------------------------------------------------------------------- floods

    @Test
    void aConnectionFloodIsRateLimitedThenBanned() throws Exception {
        startVictim(defences().bans(2, Duration.ofMinutes(5)));
        List<Integer> codes = new ArrayList<>();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < end && !codes.contains(RefusalReason.BANNED.closeCode())) {
            RawPeer p = dial();
            Integer code = p.closeCode.getNow(null);
            if (code == null) {
                try {
                    code = p.closeCode.get(100, TimeUnit.MILLISECONDS);
                } catch (TimeoutException e) {
                    continue; // let in: the burst
                }
            }
            codes.add(code);
        }
        assertTrue(codes.contains(RefusalReason.RATE_LIMITED.closeCode()), String.valueOf(codes.size()));
        assertTrue(codes.contains(RefusalReason.BANNED.closeCode()), "banned after two seconds over: " + codes.size());
        assertTrue(victim.stats().rateLimited() > 0);
        assertEquals(1, victim.peers().size(), "nothing but the honest node got in");
        assertHonestServed();
    }

    @Test
    void handshakeSpamFromFreshIdentitiesIsRateLimited() throws Exception {
        startVictim(defences().connections(Rate.perSecond(1000)));
        int refused = 0;
        for (int i = 0; i < 20; i++) {
            RawPeer p = dial();
            p.solvePuzzles = false; // a spammer pays nothing it does not have to
            p.send(hello(p));
            Frame f = p.received.poll(5, TimeUnit.SECONDS);
            if (f instanceof Frame.Refuse r) {
                assertEquals(RefusalReason.RATE_LIMITED.wireName(), r.reason());
                refused++;
            } else {
                assertTrue(f instanceof Frame.Puzzle, "the first hellos meet a puzzle, not a signature: " + f);
            }
        }
        assertEquals(20 - DefenceSettings.defaults().handshakes().burst(), refused);
        assertHonestServed();
    }

    @Test
    void aMessageFloodIsLimitedPerOriginAndTheFlooderCutOff() throws Exception {
        startVictim(defences().bans(2, Duration.ofMinutes(5)));
        RawPeer flooder = joined();
        List<Frame.Publish> flood = new ArrayList<>();
        long now = System.currentTimeMillis();
        for (int i = 0; i < 12_000; i++) {
            flood.add(new Frame.Publish(flooder.envelope(TYPE, now, i + 1, new byte[] {(byte) i}), null));
        }
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(6);
        for (int i = 0; i < flood.size() && flooder.isOpen() && System.nanoTime() < end; i++) {
            flooder.send(flood.get(i));
            if (i % 4000 == 3999) {
                Thread.sleep(1000); // over the frame rate in more than one second
            }
        }
        // The victim's close frame may queue behind what it owed the flooder: the code seen there varies.
        assertTrue(closeCode(flooder) != null, "cut off");
        long got = deliveredFrom(flooder.keys.nodeId(), atVictim);
        long allowed = 2L * DefenceSettings.defaults().messages().burst()
                + (long) (DefenceSettings.defaults().messages().perSecond() * 8);
        assertTrue(got <= allowed, got + " delivered, at most " + allowed + " allowed");
        assertTrue(victim.stats().rateLimited() > 0);
        // The flooder sees the close before the victim has finished it and told its listeners.
        await().atMost(10, TimeUnit.SECONDS).until(() -> dropped.stream()
                .anyMatch(d -> d.reason() == DisconnectReason.MISBEHAVED));
        assertHonestServed();
    }

    // ------------------------------------------------------------------------------ malformed input

    @Test
    void anOversizedFrameClosesOnlyItsOwnConnection() throws Exception {
        startVictim(defences());
        RawPeer p = dial();
        p.sendWire(new byte[2 << 20]);
        assertEquals(1009, closeCode(p), "message too big");
        assertHonestServed();
    }

    @Test
    void deepNestingIsRefusedAtTheFirstLevelTooMany() throws Exception {
        honest = node(Mesh.builder().network(NET).codec("json").listen("ws://127.0.0.1:0"));
        honest.on(TYPE, atHonest::add);
        startVictim(Mesh.builder().codec("json"), defences());
        RawPeer p = dial();
        String deep = "{\"k\":\"hello\",\"x\":" + "[".repeat(5_000) + "]".repeat(5_000) + "}";
        p.sendWire(deep.getBytes(StandardCharsets.UTF_8));
        assertEquals(RefusalReason.PROTOCOL_ERROR.closeCode(), closeCode(p));
        String refusal = new String(p.undecodable.poll(5, TimeUnit.SECONDS), StandardCharsets.UTF_8);
        assertTrue(refusal.contains("protocol-error") && refusal.contains("nesting"), refusal);
        assertTrue(victim.stats().badFrames() > 0);
        assertHonestServed();
    }

    @Test
    void aHugeArrayIsRefusedBeforeAnythingIsAllocatedForIt() throws Exception {
        startVictim(defences());
        RawPeer handshaking = dial();
        // An ihave frame (kind 11) claiming 65,535 ids and carrying none.
        handshaking.sendWire(new byte[] {11, (byte) 0xff, (byte) 0xff});
        assertEquals(RefusalReason.PROTOCOL_ERROR.closeCode(), closeCode(handshaking));
        // From a neighbour: the frame is dropped and counted, the link lives on.
        RawPeer neighbour = joined();
        long bad = victim.stats().badFrames();
        neighbour.sendRaw(new byte[] {8, 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff}); // peers, 2^31 - 1 records
        await().atMost(5, TimeUnit.SECONDS).until(() -> victim.stats().badFrames() > bad);
        assertTrue(neighbour.isOpen());
        assertHonestServed();
    }

    // ---------------------------------------------------------------------------- forged and stale

    @Test
    void forgedSignaturesGetTheRelayBannedAndItsScoreShowsWhy() throws Exception {
        startVictim(defences());
        RawPeer forger = joined();
        for (int i = 0; i < 3; i++) {
            Envelope e = forger.envelope(TYPE, System.currentTimeMillis(), i + 1, new byte[] {1});
            byte[] sig = e.signature().clone();
            sig[5] ^= 1;
            forger.send(new Frame.Publish(new Envelope(TYPE, e.origin(), null, e.timestamp(), e.sequence(), 0, 0,
                    e.payload(), e.publicKey(), sig), null));
        }
        assertEquals(1008, closeCode(forger));
        assertEquals(0, deliveredFrom(forger.keys.nodeId(), atVictim));
        await().atMost(5, TimeUnit.SECONDS).until(() -> victim.scores().stream()
                .anyMatch(s -> s.id().equals(forger.keys.nodeId()) && s.reputation() == Reputation.BANNED));
        RawPeer back = RawPeer.dial(ws, victimAt, forger.keys);
        open.add(back);
        back.send(hello(back));
        assertEquals(RefusalReason.BANNED.wireName(), back.expect(Frame.Refuse.class).reason());
        assertHonestServed();
    }

    @Test
    void aReplayedMessageIsDeliveredOnceAndAReusedSequenceNumberNotAtAll() throws Exception {
        startVictim(defences());
        RawPeer p = joined();
        long now = System.currentTimeMillis();
        Envelope m = p.envelope(TYPE, now, 7, new byte[] {1});
        p.send(new Frame.Publish(m, null));
        p.send(new Frame.Publish(m, null));
        p.send(new Frame.Publish(relayed(m, 5, 3), null)); // ttl and hops are not signed: still the same message
        p.send(new Frame.Publish(p.envelope(TYPE, now, 7, new byte[] {2}), null)); // same number, new content
        p.send(new Frame.Publish(p.envelope(TYPE, now, 8, new byte[] {3}), null));
        await().atMost(5, TimeUnit.SECONDS).until(() -> deliveredFrom(p.keys.nodeId(), atVictim) == 2);
        await().atMost(5, TimeUnit.SECONDS).until(() -> victim.stats().replays() == 1);
        Thread.sleep(200);
        assertEquals(2, deliveredFrom(p.keys.nodeId(), atVictim));
        assertHonestServed();
    }

    @Test
    void anOldMessageIsRefusedEvenAfterItsIdWouldHaveBeenForgotten() throws Exception {
        startVictim(defences());
        RawPeer p = joined();
        long now = System.currentTimeMillis();
        p.send(new Frame.Publish(p.envelope(TYPE, now - Duration.ofMinutes(11).toMillis(), 1, new byte[] {1}), null));
        p.send(new Frame.Publish(p.envelope(TYPE, now + Duration.ofMinutes(2).toMillis(), 2, new byte[] {2}), null));
        await().atMost(5, TimeUnit.SECONDS).until(() -> victim.stats().stale() == 2);
        assertEquals(0, deliveredFrom(p.keys.nodeId(), atVictim));
        assertHonestServed();
    }

    @Test
    void aHugeSequenceNumberCannotSilenceItsOriginsLaterMessages() throws Exception {
        startVictim(defences());
        RawPeer p = joined();
        long now = System.currentTimeMillis();
        p.send(new Frame.Publish(p.envelope(TYPE, now, Long.MAX_VALUE, new byte[] {0}), null));
        for (int i = 1; i <= 20; i++) {
            p.send(new Frame.Publish(p.envelope(TYPE, now, i, new byte[] {(byte) i}), null));
        }
        await().atMost(5, TimeUnit.SECONDS).until(() -> deliveredFrom(p.keys.nodeId(), atVictim) == 21);
        assertEquals(0, victim.stats().replays());
        assertHonestServed();
    }

    @Test
    void ttlAbuseCannotMakeAMessageTravelFurtherOrTwice() throws Exception {
        startVictim(defences());
        RawPeer p = joined();
        long now = System.currentTimeMillis();
        // Hops at the limit: delivered here, forwarded nowhere.
        Envelope spent = p.envelope(TYPE, now, 1, new byte[] {1});
        p.send(new Frame.Publish(relayed(spent, 255, 255), null));
        // Ttl 0: delivered here only; raised on a second copy, it is still the same message.
        Envelope local = p.envelope(TYPE, now, 2, new byte[] {2});
        p.send(new Frame.Publish(local, null));
        p.send(new Frame.Publish(relayed(local, 255, 0), null));
        await().atMost(5, TimeUnit.SECONDS).until(() -> deliveredFrom(p.keys.nodeId(), atVictim) == 2);
        assertHonestServed(); // and with it, time for any forwarded copy to reach the honest node
        assertEquals(0, deliveredFrom(p.keys.nodeId(), atHonest));
        assertTrue(victim.stats().duplicates() >= 1);
    }

    // ------------------------------------------------------------------------------------- Sybils

    @Test
    void aSybilSwarmFromOneSubnetGetsThreeInboundPlacesAtMost() throws Exception {
        startVictim(defences().connections(Rate.perSecond(1000)).handshakes(Rate.perSecond(1000)));
        List<String> refusals = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            RawPeer p = dial();
            byte[] challenge = RawPeer.challenge();
            p.send(p.hello(NET, challenge));
            Frame f;
            while (!((f = p.received.poll(5, TimeUnit.SECONDS)) instanceof Frame.Welcome || f instanceof Frame.Refuse)) {
                assertTrue(f != null, "no answer");
            }
            if (f instanceof Frame.Refuse r) {
                refusals.add(r.reason());
                continue;
            }
            p.complete(NET, challenge, (Frame.Welcome) f);
            // The subnet is checked at the hello and again once the dialler proved who it is.
            await().atMost(5, TimeUnit.SECONDS).until(() -> isPeer(p) || hasRefusal(p));
            p.received.stream().filter(x -> x instanceof Frame.Refuse).map(x -> ((Frame.Refuse) x).reason())
                    .findFirst().ifPresent(refusals::add);
        }
        long inbound = victim.peers().stream().filter(i -> i.inbound()).count();
        assertEquals(DefenceSettings.defaults().maxPeersPerSubnet(), inbound);
        assertTrue(refusals.stream().allMatch(RefusalReason.SUBNET_FULL.wireName()::equals), refusals.toString());
        assertEquals(8 - inbound, refusals.size());
        assertHonestServed();
    }

    // ---------------------------------------------------------------------------- slow and silent

    @Test
    void aPeerThatStopsReadingIsDisconnectedAsASlowConsumer() throws Exception {
        startVictim(defences().messages(new Rate(10_000, 10_000)));
        Transport own = wsTransport(); // its own selector thread, which the stall blocks
        open.add(own::close);
        RawPeer slow = RawPeer.dial(own, victimAt);
        open.add(slow);
        slow.handshake(NET);
        await().atMost(10, TimeUnit.SECONDS).until(() -> victim.peers().size() == 2);
        CountDownLatch stall = new CountDownLatch(1);
        open.add(stall::countDown);
        slow.stalled = stall;
        byte[] big = new byte[64 << 10];
        for (int i = 0; i < 400 && victim.stats().slowConsumers() == 0; i++) {
            victim.broadcast(TYPE, big);
            Thread.sleep(2);
        }
        await().atMost(20, TimeUnit.SECONDS).until(() -> victim.stats().slowConsumers() == 1);
        await().atMost(5, TimeUnit.SECONDS).until(() -> dropped.stream()
                .anyMatch(d -> d.reason() == DisconnectReason.SLOW_CONSUMER));
        stall.countDown();
        assertHonestServed();
    }

    @Test
    void halfOpenConnectionsAreClosedAndCannotHoldTheHandshakeSlots() throws Exception {
        startVictim(Mesh.builder().handshakeTimeout(Duration.ofSeconds(1)),
                defences().connections(Rate.perSecond(1000)));
        // WebSocket open, then silence: the handshake times out.
        List<RawPeer> silent = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            silent.add(dial());
        }
        AtomicInteger closed = new AtomicInteger();
        for (RawPeer p : silent) {
            if (closeCode(p) != null) {
                closed.incrementAndGet();
            }
        }
        assertEquals(silent.size(), closed.get(), "every silent connection is closed");
        // TCP open, not even a WebSocket upgrade: the transport gives up after its connect timeout.
        try (Socket raw = new Socket("127.0.0.1", victimAt.port())) {
            raw.setSoTimeout(15_000);
            InputStream in = raw.getInputStream();
            assertEquals(-1, in.read(), "closed without a word");
        }
        assertHonestServed();
    }
}
