package dev.meshkit.core.endtoend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshkit.api.ChannelSettings;
import dev.meshkit.api.ErrorCode;
import dev.meshkit.api.HandshakeRefusedException;
import dev.meshkit.api.MeshException;
import dev.meshkit.api.MessageId;
import dev.meshkit.api.NoRouteException;
import dev.meshkit.api.NodeId;
import dev.meshkit.api.RefusalReason;
import dev.meshkit.api.spi.ChannelException;
import dev.meshkit.api.spi.ChannelException.Problem;
import dev.meshkit.api.spi.SecureChannelProvider;
import dev.meshkit.api.wire.Envelope;
import dev.meshkit.core.ManualRuntime;
import dev.meshkit.core.channel.ChannelSuites;
import dev.meshkit.core.channel.RenamedSuite;
import dev.meshkit.core.channel.X25519ChannelProvider;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

/**
 * The session protocol between nodes whose direct messages cross a hand-driven wire: the test
 * decides what arrives, when, twice, altered, or not at all. Whole nodes are in EndToEndMeshTest.
 */
class EndToEndTest {
    private static final long HANDSHAKE_MILLIS = 10_000;
    private static final long RETAIN_MILLIS = 60_000;
    private final ManualRuntime runtime = new ManualRuntime();
    private final Deque<Sent> wire = new ArrayDeque<>();
    private final List<Sent> everything = new ArrayList<>();
    private final Map<NodeId, Node> nodes = new HashMap<>();
    private final List<ChannelException> refused = new ArrayList<>();
    private long sequence;

    /** A direct message on the wire. */
    private record Sent(Envelope envelope, MessageId id) {
        String type() {
            return envelope.type();
        }
    }

    /** One side: its sessions, and what was delivered to it. */
    private final class Node implements EndToEnd.Outlet {
        final NodeId id;
        final ChannelSettings settings;
        final List<SecureChannelProvider> providers;
        final List<String> delivered = new ArrayList<>();
        EndToEnd sessions;

        Node(String name, ChannelSettings settings, List<SecureChannelProvider> providers) {
            this.id = NodeId.ofPublicKey(name.getBytes(StandardCharsets.UTF_8));
            this.settings = settings;
            this.providers = providers;
            restart();
            nodes.put(id, this);
        }

        /** Forgets every session, as a node that restarted. */
        void restart() {
            sessions = new EndToEnd(id, "net", ChannelSuites.of(settings, providers), settings, runtime,
                    HANDSHAKE_MILLIS, RETAIN_MILLIS, this);
        }

        CompletableFuture<MessageId> send(Node to, String text) {
            return sessions.send(to.id, "chat", text.getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public CompletableFuture<MessageId> send(NodeId destination, String type, byte[] payload) {
            long seq = ++sequence;
            Sent s = new Sent(new Envelope(type, id, destination, runtime.nowMillis(), seq, 8, 0, payload, new byte[32],
                    new byte[0]), new MessageId(id.hashCode(), seq));
            wire.add(s);
            everything.add(s);
            return CompletableFuture.completedFuture(s.id());
        }

        @Override
        public void deliver(Envelope envelope, MessageId mid, String type, byte[] payload) {
            assertEquals("chat", type);
            delivered.add(new String(payload, StandardCharsets.UTF_8));
        }
    }

    private Node node(String name) {
        return new Node(name, ChannelSettings.defaults(), List.of(new X25519ChannelProvider()));
    }

    private void arrive(Sent s) {
        Node to = nodes.get(s.envelope().destination());
        if (to == null) {
            return;
        }
        try {
            to.sessions.receive(s.envelope(), s.id());
        } catch (ChannelException e) {
            refused.add(e);
        }
    }

    /** Delivers everything on the wire, including what the deliveries send. */
    private void pump() {
        while (!wire.isEmpty()) {
            arrive(wire.poll());
        }
    }

    private long count(NodeId from, String type) {
        return everything.stream().filter(s -> s.envelope().origin().equals(from) && s.type().equals(type)).count();
    }

    private static Throwable failure(CompletableFuture<?> f) {
        assertTrue(f.isCompletedExceptionally(), "the send should have failed");
        return assertThrows(ExecutionException.class, f::get).getCause();
    }

    @Test
    void messagesGoBothWaysAndNoneOfTheirBytesCrossTheWireInTheClear() {
        Node a = node("a");
        Node b = node("b");
        CompletableFuture<MessageId> first = a.send(b, "a secret for b");
        assertFalse(first.isDone(), "waits for the session");
        pump();
        assertTrue(first.isDone() && !first.isCompletedExceptionally());
        b.send(a, "b's secret answer");
        a.send(b, "and one more");
        pump();
        assertEquals(List.of("a secret for b", "and one more"), b.delivered);
        assertEquals(List.of("b's secret answer"), a.delivered);
        assertEquals(1, count(a.id, EndToEnd.INIT));
        assertEquals(0, count(b.id, EndToEnd.INIT), "b answers on the session a set up");
        for (Sent s : everything) {
            String bytes = new String(s.envelope().payload(), StandardCharsets.ISO_8859_1);
            assertFalse(bytes.contains("secret") || bytes.contains("chat") || bytes.contains("more"), s.type());
        }
    }

    @Test
    void theResponderSendsOnlyOnceTheInitiatorsFirstRecordProvedItsKeys() {
        Node a = node("a");
        Node b = node("b");
        a.send(b, "one");
        arrive(wire.poll()); // the init: b has a session but no record of a's yet
        b.send(a, "two");
        assertEquals(1, count(b.id, EndToEnd.INIT), "b sets up its own session rather than use the unconfirmed one");
        pump();
        assertEquals(List.of("one"), b.delivered);
        assertEquals(List.of("two"), a.delivered);
    }

    @Test
    void differentNetworkKeysFailTheSessionWithATypedReason() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        Node a = new Node("a", ChannelSettings.builder().networkKey(key).build(), List.of(new X25519ChannelProvider()));
        Node b = node("b");
        CompletableFuture<MessageId> sent = a.send(b, "hello");
        pump();
        HandshakeRefusedException e = assertInstanceOf(HandshakeRefusedException.class, failure(sent));
        assertEquals(RefusalReason.NETWORK_KEY_MISMATCH, e.reason());
        assertEquals(List.of(), b.delivered);
    }

    @Test
    void withoutACommonSuiteTheDestinationRefusesAndTheSenderIsTold() {
        Node a = node("a");
        Node b = new Node("b", ChannelSettings.defaults(), List.of(RenamedSuite.of("other-suite", 1, false)));
        CompletableFuture<MessageId> sent = a.send(b, "hello");
        pump();
        assertEquals(RefusalReason.UNSUPPORTED_SUITE,
                assertInstanceOf(HandshakeRefusedException.class, failure(sent)).reason());
        assertEquals(1, count(b.id, EndToEnd.REFUSE));
    }

    @Test
    void anAlteredAnswerFailsTheKeyConfirmation() {
        Node a = node("a");
        Node b = node("b");
        CompletableFuture<MessageId> sent = a.send(b, "hello");
        arrive(wire.poll());
        Sent accept = wire.poll();
        byte[] payload = accept.envelope().payload();
        payload[payload.length - 40] ^= 1; // inside b's key share
        arrive(accept);
        assertEquals(RefusalReason.NETWORK_KEY_MISMATCH,
                assertInstanceOf(HandshakeRefusedException.class, failure(sent)).reason());
    }

    @Test
    void replayedAndAlteredRecordsAreRefusedAndTheSessionGoesOn() {
        Node a = node("a");
        Node b = node("b");
        a.send(b, "first");
        pump();
        Sent data = everything.get(everything.size() - 1);
        assertEquals(EndToEnd.DATA, data.type());
        arrive(data);
        assertEquals(Problem.REPLAYED, refused.get(0).problem());
        a.send(b, "second");
        Sent second = wire.poll();
        byte[] altered = second.envelope().payload().clone();
        altered[altered.length - 1] ^= 1;
        arrive(new Sent(withPayload(second.envelope(), altered), second.id()));
        assertEquals(Problem.TAMPERED, refused.get(1).problem());
        arrive(second);
        a.send(b, "third");
        pump();
        assertEquals(List.of("first", "second", "third"), b.delivered);
    }

    @Test
    void recordsArrivingOutOfOrderAreAllDelivered() {
        Node a = node("a");
        Node b = node("b");
        a.send(b, "m0");
        pump();
        for (int i = 1; i <= 5; i++) {
            a.send(b, "m" + i);
        }
        List<Sent> held = new ArrayList<>(wire);
        wire.clear();
        for (int i = held.size() - 1; i >= 0; i--) {
            arrive(held.get(i));
        }
        assertEquals(List.of("m0", "m5", "m4", "m3", "m2", "m1"), b.delivered);
        assertEquals(List.of(), refused);
    }

    @Test
    void anUnansweredKeyExchangeFailsItsMessagesWithNoRoute() {
        Node a = node("a");
        NodeId nobody = NodeId.ofPublicKey(new byte[] {9});
        CompletableFuture<MessageId> sent = a.sessions.send(nobody, "chat", new byte[1]);
        pump();
        runtime.advance(HANDSHAKE_MILLIS - 1);
        assertFalse(sent.isDone());
        runtime.advance(1);
        assertInstanceOf(NoRouteException.class, failure(sent));
    }

    @Test
    void tooManyWaitingMessagesPushBack() {
        Node a = node("a");
        NodeId nobody = NodeId.ofPublicKey(new byte[] {9});
        for (int i = 0; i < EndToEnd.MAX_QUEUED; i++) {
            assertFalse(a.sessions.send(nobody, "chat", new byte[1]).isDone());
        }
        MeshException e = assertInstanceOf(MeshException.class,
                failure(a.sessions.send(nobody, "chat", new byte[1])));
        assertEquals(ErrorCode.BACKPRESSURE, e.code());
    }

    @Test
    void aSessionTheDestinationForgotIsReplacedAfterItSaysSo() {
        Node a = node("a");
        Node b = node("b");
        a.send(b, "before");
        pump();
        b.restart();
        a.send(b, "lost");
        pump();
        assertEquals(1, count(b.id, EndToEnd.REFUSE), "b tells a it has no such session");
        a.send(b, "after");
        pump();
        assertEquals(List.of("before", "after"), b.delivered);
        assertEquals(2, count(a.id, EndToEnd.INIT));
    }

    @Test
    void recordsOfUnknownSessionsAreRefusedAtMostSoOftenASecond() {
        Node a = node("a");
        Node b = node("b");
        for (int i = 0; i < 3 * EndToEnd.MAX_REFUSALS_PER_SECOND; i++) {
            byte[] sid = new byte[EndToEndWire.SESSION_ID_BYTES];
            sid[0] = (byte) i;
            a.send(b.id, EndToEnd.DATA, EndToEndWire.message(sid, new byte[40]));
        }
        pump();
        assertEquals(EndToEnd.MAX_REFUSALS_PER_SECOND, count(b.id, EndToEnd.REFUSE), "each refusal costs a signature");
        runtime.advance(1000);
        a.send(b.id, EndToEnd.DATA, EndToEndWire.message(new byte[EndToEndWire.SESSION_ID_BYTES], new byte[40]));
        pump();
        assertEquals(EndToEnd.MAX_REFUSALS_PER_SECOND + 1, count(b.id, EndToEnd.REFUSE), "a new second, a new allowance");
    }

    @Test
    void aSessionIsReplacedAfterItsRecordLimitOrItsIntervalAndLateRecordsStillOpen() {
        ChannelSettings settings = ChannelSettings.builder().rekeyAfter(Duration.ofMinutes(5), 3).build();
        Node a = new Node("a", settings, List.of(new X25519ChannelProvider()));
        Node b = new Node("b", settings, List.of(new X25519ChannelProvider()));
        a.send(b, "m0");
        pump();
        Sent late = null;
        for (int i = 1; i < 7; i++) {
            a.send(b, "m" + i);
            if (i == 4) {
                late = wire.poll(); // the second session's second record
            }
            pump();
        }
        assertEquals(3, count(a.id, EndToEnd.INIT), "7 records at 3 per session");
        arrive(late);
        assertEquals(List.of("m0", "m1", "m2", "m3", "m5", "m6", "m4"), b.delivered);
        runtime.advance(Duration.ofMinutes(5).toMillis());
        a.send(b, "m7");
        pump();
        assertEquals(4, count(a.id, EndToEnd.INIT), "the interval ran out");
        assertEquals("m7", b.delivered.get(b.delivered.size() - 1));
    }

    @Test
    void theNextSessionIsSetUpBeforeTheCurrentOneRunsOut() {
        ChannelSettings settings = ChannelSettings.builder().rekeyAfter(Duration.ofMinutes(5), 8).build();
        Node a = new Node("a", settings, List.of(new X25519ChannelProvider()));
        Node b = new Node("b", settings, List.of(new X25519ChannelProvider()));
        a.send(b, "m0");
        pump();
        for (int i = 1; i <= 20; i++) {
            assertTrue(a.send(b, "m" + i).isDone(), "m" + i + " waited for a session");
            pump();
        }
        assertEquals(21, b.delivered.size());
        assertEquals(4, count(a.id, EndToEnd.INIT), "a new session at 6 of every 8 records");
    }

    @Test
    void nodesBusyWithSessionsCannotBePushedOutByNewOnes() {
        Node b = node("b");
        for (int i = 0; i < EndToEnd.MAX_PEERS; i++) {
            b.sessions.send(NodeId.ofPublicKey(new byte[] {(byte) i, (byte) (i >> 8)}), "chat", new byte[1]);
        }
        Node a = node("a");
        CompletableFuture<MessageId> sent = a.send(b, "hello");
        pump();
        assertEquals(Problem.OVERFLOW, refused.get(0).problem(), "b has no room for a's session");
        assertFalse(sent.isDone());
        MeshException e = assertInstanceOf(MeshException.class,
                failure(b.sessions.send(a.id, "chat", new byte[1])));
        assertEquals(ErrorCode.BACKPRESSURE, e.code());
    }

    @Test
    void anIdleNodeMakesRoomForANewOne() {
        Node b = node("b");
        List<Node> crowd = new ArrayList<>();
        for (int i = 0; i < EndToEnd.MAX_PEERS; i++) {
            crowd.add(node("crowd-" + i));
            crowd.get(i).send(b, "hi " + i);
            pump();
        }
        Node a = node("a");
        a.send(b, "hello");
        pump();
        assertEquals(List.of(), refused);
        assertEquals("hello", b.delivered.get(b.delivered.size() - 1));
    }

    @Test
    void sessionsOlderThanAnyAcceptableRecordAreErased() {
        Node a = node("a");
        Node b = node("b");
        a.send(b, "m0");
        pump();
        a.send(b, "m1");
        Sent late = wire.poll();
        runtime.advance(Duration.ofMinutes(5).toMillis() + RETAIN_MILLIS + 1);
        b.sessions.sweep();
        arrive(late);
        assertEquals(Problem.MALFORMED, refused.get(0).problem());
        assertEquals(List.of("m0"), b.delivered);
    }

    @Test
    void malformedMessagesGetTypedErrors() {
        Node a = node("a");
        Node b = node("b");
        byte[] otherVersion = new byte[17];
        otherVersion[0] = 2;
        for (byte[] payload : new byte[][] {new byte[0], new byte[5], otherVersion}) {
            for (String type : new String[] {EndToEnd.INIT, EndToEnd.ACCEPT, EndToEnd.DATA}) {
                a.send(b.id, type, payload);
            }
        }
        a.send(b.id, EndToEnd.ACCEPT, new byte[40]);
        pump();
        assertTrue(refused.size() >= 10, "refused: " + refused);
        assertTrue(refused.stream().allMatch(e -> e.problem() == Problem.MALFORMED || e.problem() == Problem.REPLAYED));
        assertArrayEquals(new String[0], b.delivered.toArray(new String[0]));
    }

    private static Envelope withPayload(Envelope e, byte[] payload) {
        return new Envelope(e.type(), e.origin(), e.destination(), e.timestamp(), e.sequence(), e.ttl(), e.hops(),
                payload, e.publicKey(), e.signature());
    }
}
