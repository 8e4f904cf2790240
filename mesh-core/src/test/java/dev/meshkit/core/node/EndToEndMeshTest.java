package dev.meshkit.core.node;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshkit.api.ErrorCode;
import dev.meshkit.api.MeshException;
import dev.meshkit.api.MeshNode;
import dev.meshkit.api.Message;
import dev.meshkit.api.NoRouteException;
import dev.meshkit.api.NodeId;
import dev.meshkit.api.PeerInfo;
import dev.meshkit.api.spi.Router;
import dev.meshkit.api.spi.RouterContext;
import dev.meshkit.api.spi.RouterProvider;
import dev.meshkit.api.wire.Envelope;
import dev.meshkit.api.wire.Frame;
import dev.meshkit.core.gossip.EnvelopeSigning;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** Direct messages between whole nodes: end to end across neighbours and across relays. */
class EndToEndMeshTest extends MemNodeTest {
    private static final String SECRET = "the launch code is 0000";

    /** Routes everything through the first neighbour that takes it: enough for a chain. */
    private static RouterProvider viaANeighbour() {
        return new RouterProvider() {
            @Override
            public String name() {
                return "via-a-neighbour";
            }

            @Override
            public Router create(RouterContext context) {
                return envelope -> {
                    for (PeerInfo p : context.neighbours()) {
                        if (context.sendToNeighbour(p.id(), new Frame.Publish(envelope, null))) {
                            return CompletableFuture.completedFuture(null);
                        }
                    }
                    return CompletableFuture.failedFuture(new NoRouteException(envelope.destination(), "no neighbour"));
                };
            }
        };
    }

    private static List<Message> inbox(MeshNode n) {
        List<Message> got = new CopyOnWriteArrayList<>();
        n.on("chat", got::add);
        return got;
    }

    private static byte[] text(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void neighboursExchangeDirectMessagesEndToEnd() throws Exception {
        MeshNode a = start(builder("a"));
        MeshNode b = start(builder("b").seed("mem://a"));
        await().atMost(5, TimeUnit.SECONDS).until(() -> a.peers().size() == 1);
        List<Message> atA = inbox(a);
        List<Message> atB = inbox(b);
        a.sendTo(b.id(), "chat", text(SECRET)).get(5, TimeUnit.SECONDS);
        await().atMost(5, TimeUnit.SECONDS).until(() -> atB.size() == 1);
        b.sendTo(a.id(), "chat", text("received")).get(5, TimeUnit.SECONDS);
        await().atMost(5, TimeUnit.SECONDS).until(() -> atA.size() == 1);
        Message m = atB.get(0);
        assertEquals(SECRET, m.payloadAsString());
        assertEquals("chat", m.type());
        assertEquals(a.id(), m.origin());
        assertEquals(Message.Delivery.DIRECT, m.delivery());
        assertTrue(m.endToEnd());
        assertTrue(atA.get(0).endToEnd());
        assertEquals(2, a.stats().delivered() + b.stats().delivered(), "the session's own messages are not delivered");
    }

    @Test
    void aRelayNodeForwardsWhatItCannotRead() throws Exception {
        // a - r - c: a and c reach each other only through r.
        MeshNode r = start(builder("r"));
        MeshNode a = start(builder("a").maxPeers(1).seed("mem://r").router(viaANeighbour()));
        MeshNode c = start(builder("c").maxPeers(1).seed("mem://r").router(viaANeighbour()));
        await().atMost(5, TimeUnit.SECONDS).until(() -> r.peers().size() == 2);
        List<Message> atA = inbox(a);
        List<Message> atC = inbox(c);
        List<Message> atR = inbox(r);
        a.sendTo(c.id(), "chat", text(SECRET)).get(5, TimeUnit.SECONDS);
        await().atMost(5, TimeUnit.SECONDS).until(() -> atC.size() == 1);
        c.sendTo(a.id(), "chat", text("received")).get(5, TimeUnit.SECONDS);
        await().atMost(5, TimeUnit.SECONDS).until(() -> atA.size() == 1);
        assertEquals(SECRET, atC.get(0).payloadAsString());
        assertEquals(2, atC.get(0).hops());
        assertTrue(atC.get(0).endToEnd());
        assertEquals(List.of(), atR);
        assertTrue(r.stats().forwarded() >= 4, "init, accept and two records crossed r: " + r.stats());
    }

    @Test
    void aHostileRelaySeesEveryFrameAndNoPayload() throws Exception {
        // a - raw1 ~ raw2 - c: the relay is a peer that decodes every frame it gets and passes it on.
        MeshNode a = start(builder("a").router(viaANeighbour()));
        MeshNode c = start(builder("c").router(viaANeighbour()));
        List<Message> atC = inbox(c);
        List<Message> atA = inbox(a);
        List<Envelope> seen = new CopyOnWriteArrayList<>();
        AtomicBoolean running = new AtomicBoolean(true);
        try (RawPeer toA = joined("a", a); RawPeer toC = joined("c", c)) {
            Thread relay = new Thread(() -> {
                while (running.get()) {
                    pass(toA, toC, seen);
                    pass(toC, toA, seen);
                }
            }, "relay");
            relay.start();
            try {
                a.sendTo(c.id(), "chat", text(SECRET)).get(5, TimeUnit.SECONDS);
                await().atMost(5, TimeUnit.SECONDS).until(() -> atC.size() == 1);
                c.sendTo(a.id(), "chat", text(SECRET + " (echo)")).get(5, TimeUnit.SECONDS);
                await().atMost(5, TimeUnit.SECONDS).until(() -> atA.size() == 1);
            } finally {
                running.set(false);
                relay.join();
            }
        }
        assertEquals(SECRET, atC.get(0).payloadAsString());
        assertTrue(seen.size() >= 4, "the relay saw the whole exchange: " + seen.size());
        for (Envelope e : seen) {
            String bytes = new String(e.payload(), StandardCharsets.ISO_8859_1);
            assertFalse(bytes.contains("launch") || bytes.contains("chat"), "readable in " + e.type());
            assertTrue(e.type().startsWith("meshkit/e2e/"), e.type());
        }
    }

    private static void pass(RawPeer from, RawPeer to, List<Envelope> seen) {
        Frame f = from.received.poll();
        if (f == null) {
            Thread.onSpinWait();
        } else if (f instanceof Frame.Publish && ((Frame.Publish) f).envelope().isDirect()) {
            seen.add(((Frame.Publish) f).envelope());
            to.send(f);
        }
    }

    @Test
    void aDirectMessageInTheClearIsRefusedByANodeThatEncrypts() throws Exception {
        MeshNode a = start(builder("a"));
        List<Message> atA = inbox(a);
        try (RawPeer raw = joined("a", a)) {
            Envelope unsigned = new Envelope("chat", raw.keys.nodeId(), a.id(), System.currentTimeMillis(), 1, 0, 0,
                    text(SECRET), raw.keys.publicKey(), new byte[0]);
            Envelope signed = new Envelope("chat", raw.keys.nodeId(), a.id(), unsigned.timestamp(), 1, 0, 0,
                    text(SECRET), raw.keys.publicKey(), raw.signer.sign(EnvelopeSigning.signedBytes(unsigned)));
            raw.send(new Frame.Publish(signed, null));
            await().atMost(5, TimeUnit.SECONDS).until(() -> a.stats().refusedByPolicy() == 1);
            assertTrue(raw.isOpen());
        }
        assertEquals(List.of(), atA);
    }

    @Test
    void aSendThatCannotBeRoutedFailsWithNoRouteItself() throws Exception {
        MeshNode a = start(builder("a"));
        NodeId stranger = NodeId.ofPublicKey(new byte[] {1});
        Throwable failure = a.sendTo(stranger, "chat", text("hi")).handle((v, err) -> err).get(5, TimeUnit.SECONDS);
        assertInstanceOf(NoRouteException.class, failure, "not wrapped: " + failure);
    }

    @Test
    void theNodesOwnTypesAreNotForApplications() throws Exception {
        MeshNode a = start(builder("a"));
        MeshNode b = start(builder("b").seed("mem://a"));
        await().atMost(5, TimeUnit.SECONDS).until(() -> a.peers().size() == 1);
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> a.sendTo(b.id(), "meshkit/e2e/data", new byte[1]).get(5, TimeUnit.SECONDS));
        assertEquals(ErrorCode.INVALID_CONFIG, assertInstanceOf(MeshException.class, e.getCause()).code());
        assertEquals(ErrorCode.INVALID_CONFIG,
                assertThrows(MeshException.class, () -> a.broadcast("meshkit/x", new byte[1])).code());
    }
}
