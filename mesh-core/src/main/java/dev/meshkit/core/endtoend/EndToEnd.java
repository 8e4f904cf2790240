package dev.meshkit.core.endtoend;

import dev.meshkit.api.ChannelSettings;
import dev.meshkit.api.ErrorCode;
import dev.meshkit.api.HandshakeRefusedException;
import dev.meshkit.api.MeshException;
import dev.meshkit.api.MessageId;
import dev.meshkit.api.NoRouteException;
import dev.meshkit.api.NodeId;
import dev.meshkit.api.RefusalReason;
import dev.meshkit.api.spi.Cancellable;
import dev.meshkit.api.spi.ChannelException;
import dev.meshkit.api.spi.ChannelException.Problem;
import dev.meshkit.api.spi.NodeRuntime;
import dev.meshkit.api.wire.Envelope;
import dev.meshkit.core.channel.ChannelSuites;
import dev.meshkit.core.channel.DatagramOpener;
import dev.meshkit.core.channel.KeySchedule;
import dev.meshkit.core.channel.RecordSealer;
import dev.meshkit.core.channel.SuiteRefusedException;
import dev.meshkit.core.channel.Transcript;
import dev.meshkit.core.codec.MessageTypes;
import dev.meshkit.core.runtime.Futures;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's end-to-end sessions, one set per remote node, so that what it sends with
 * {@code sendTo} can be read by the destination only, never by the nodes that relay it.
 *
 * <p>The first message to a node starts a key exchange carried in two signed direct messages: the
 * initiator's init offers a key share for each of its suites (the same suites and key agreement as
 * links), the responder's accept answers the strongest common one with its key confirmation. Both
 * derive the session's keys from the shared secret, the network key, and a hash of the network,
 * both ids, the session id, the offer and the answer. Each message's signature covers its half, and
 * the confirmation covers the whole, so neither half can be swapped and the suite cannot be
 * downgraded. Messages wait in a bounded queue until the session is up.
 *
 * <p>Records may arrive out of order, so each is opened within a replay window. A session carries
 * the responder's messages only once the initiator's first record has shown it holds the keys. After
 * the channel settings' rekey interval or record count a session takes no new records and the next
 * message starts a fresh key exchange; old sessions stay open for late records until newer ones
 * replace them or they age out. Runs on the node's event loop.
 */
public final class EndToEnd {
    static final String INIT = MessageTypes.RESERVED_PREFIX + "e2e/init";
    static final String ACCEPT = MessageTypes.RESERVED_PREFIX + "e2e/accept";
    static final String REFUSE = MessageTypes.RESERVED_PREFIX + "e2e/refuse";
    static final String DATA = MessageTypes.RESERVED_PREFIX + "e2e/data";
    /** Remote nodes with sessions at most; the least recently used is forgotten first. */
    static final int MAX_PEERS = 1024;
    /** Messages waiting for a session, per remote node. */
    static final int MAX_QUEUED = 256;
    /** Bytes waiting for sessions, all remote nodes together. */
    static final long MAX_QUEUED_BYTES = 16L << 20;
    /** Sessions kept per remote node and side (initiated here, initiated there). */
    private static final int SESSIONS_PER_SIDE = 2;
    /** Refusals of records of unknown sessions per second at most: each costs a signature. */
    static final int MAX_REFUSALS_PER_SECOND = 16;
    /** Share of a session's records or time after which the next session is set up, used meanwhile. */
    private static final double RENEW_AT = 0.75;
    private static final Logger LOG = LoggerFactory.getLogger(EndToEnd.class);

    /** What the node does for its sessions. */
    public interface Outlet {
        /**
         * Signs a direct message of a reserved type and sends it towards {@code destination}; the
         * future completes when it was handed to the network.
         */
        CompletableFuture<MessageId> send(NodeId destination, String type, byte[] payload);

        /** Delivers a decrypted message to the application. */
        void deliver(Envelope envelope, MessageId id, String type, byte[] payload);
    }

    private final NodeId self;
    private final byte[] network;
    private final ChannelSuites suites;
    private final byte[] networkKey;
    private final ChannelSettings settings;
    private final NodeRuntime runtime;
    private final long handshakeMillis;
    private final long retainMillis;
    private final Outlet outlet;
    private final SecureRandom random = new SecureRandom();
    private final Map<NodeId, Peer> peers = new LinkedHashMap<>(16, 0.75f, true);
    private long queuedBytes;
    private long refusalSecond;
    private int refusalsThisSecond;

    /**
     * Creates the sessions' keeper.
     *
     * @param suites          the suites of the node's links, which sessions use too
     * @param handshakeMillis how long a key exchange may take before queued messages fail
     * @param retainMillis    how long a session stays open for late records once it takes no new ones:
     *                        as long as a message it carried may still be accepted
     */
    public EndToEnd(NodeId self, String network, ChannelSuites suites, ChannelSettings settings, NodeRuntime runtime,
                    long handshakeMillis, long retainMillis, Outlet outlet) {
        this.self = self;
        this.network = network.getBytes(StandardCharsets.UTF_8);
        this.suites = suites;
        this.networkKey = settings.networkKey();
        this.settings = settings;
        this.runtime = runtime;
        this.handshakeMillis = handshakeMillis;
        this.retainMillis = retainMillis;
        this.outlet = outlet;
    }

    /** The largest application payload a data message can carry under a limit of {@code maxPayload}. */
    public static int maxPayload(int maxPayload, String type) {
        return maxPayload - EndToEndWire.overhead(type.length());
    }

    /** The payload size of an init with these suites' offer, made once to measure it. */
    public static int initBytes(ChannelSuites suites) {
        try (ChannelSuites.Offer offer = suites.offer()) {
            return EndToEndWire.message(new byte[EndToEndWire.SESSION_ID_BYTES], offer.bytes()).length;
        }
    }

    /** Whether {@code type} is one of the messages handled here. */
    public static boolean handles(String type) {
        return type.equals(DATA) || type.equals(INIT) || type.equals(ACCEPT) || type.equals(REFUSE);
    }

    /**
     * Encrypts and sends {@code payload} to {@code destination}, first setting up a session if there
     * is none. The future completes when the message was handed to the network, or fails:
     * {@link NoRouteException} when the destination cannot be reached or does not answer,
     * {@link HandshakeRefusedException} when it refuses the session, {@code BACKPRESSURE} when too
     * much waits for sessions.
     */
    public CompletableFuture<MessageId> send(NodeId destination, String type, byte[] payload) {
        CompletableFuture<MessageId> result = new CompletableFuture<>();
        Peer p = admit(destination);
        if (p == null) {
            result.completeExceptionally(new MeshException(ErrorCode.BACKPRESSURE, "end-to-end sessions with "
                    + MAX_PEERS + " nodes are all busy"));
            return result;
        }
        long now = runtime.monotonicMillis();
        Session s = p.sendable(now);
        if (s != null) {
            // The next session is set up while this one still carries messages, so none wait.
            if (p.pending == null && s.aging(now)) {
                initiate(p);
            }
            transmit(p, s, type, payload, result);
            return result;
        }
        if (p.queue.size() >= MAX_QUEUED || queuedBytes + payload.length > MAX_QUEUED_BYTES) {
            result.completeExceptionally(new MeshException(ErrorCode.BACKPRESSURE, "too many messages wait for an"
                    + " end-to-end session with " + destination.shortForm()));
            return result;
        }
        p.queue.add(new Queued(type, payload, result));
        queuedBytes += payload.length;
        if (p.pending == null) {
            initiate(p);
        }
        return result;
    }

    /**
     * Handles a verified direct message of one of the reserved types, addressed to this node.
     *
     * @throws ChannelException when the message is malformed, or its record is refused
     */
    public void receive(Envelope envelope, MessageId id) throws ChannelException {
        EndToEndWire.Parsed m = EndToEndWire.parse(envelope.payload());
        NodeId from = envelope.origin();
        switch (envelope.type()) {
            case INIT -> onInit(from, m.sessionId(), m.body());
            case ACCEPT -> onAccept(from, m.sessionId(), EndToEndWire.parseAccept(m.body()));
            case REFUSE -> onRefuse(from, m.sessionId(), EndToEndWire.parseRefuse(m.body()));
            case DATA -> onData(envelope, id, m.sessionId(), m.body());
            default -> throw new ChannelException(Problem.MALFORMED, "not an end-to-end message: " + envelope.type());
        }
    }

    /** Erases sessions old enough that no record of theirs can still be accepted. */
    public void sweep() {
        long now = runtime.monotonicMillis();
        for (Peer p : peers.values()) {
            p.sessions.removeIf(s -> {
                boolean old = now - s.created > settings.rekeyInterval().toMillis() + retainMillis;
                if (old) {
                    s.erase();
                }
                return old;
            });
        }
        peers.values().removeIf(p -> p.sessions.isEmpty() && p.pending == null);
    }

    /** Fails what waits, erases every key. */
    public void close(MeshException reason) {
        for (Peer p : peers.values()) {
            p.forget(reason);
        }
        peers.clear();
        queuedBytes = 0;
    }

    // ---------------------------------------------------------------- initiator

    private void initiate(Peer p) {
        byte[] sid = new byte[EndToEndWire.SESSION_ID_BYTES];
        random.nextBytes(sid);
        ChannelSuites.Offer offer = suites.offer();
        Handshake h = new Handshake(sid, offer);
        p.pending = h;
        h.timer = runtime.schedule(handshakeMillis, () -> {
            if (p.pending == h) {
                fail(p, new NoRouteException(p.id, "no answer to the end-to-end key exchange within "
                        + handshakeMillis + " ms"));
            }
        });
        outlet.send(p.id, INIT, EndToEndWire.message(sid, h.offerBytes)).whenComplete((mid, err) -> {
            if (err != null) {
                Throwable cause = Futures.cause(err);
                runtime.execute(() -> {
                    if (p.pending == h) {
                        fail(p, cause instanceof MeshException ? (MeshException) cause
                                : new NoRouteException(p.id, String.valueOf(cause.getMessage())));
                    }
                });
            }
        });
    }

    private void onAccept(NodeId from, byte[] sid, EndToEndWire.Accept accept) throws ChannelException {
        Peer p = peers.get(from);
        Handshake h = p == null ? null : p.pending;
        if (h == null || !Arrays.equals(h.sessionId, sid)) {
            throw new ChannelException(Problem.REPLAYED, "accept for no key exchange in progress");
        }
        ChannelSuites.Agreement agreed;
        try {
            agreed = h.offer.finish(accept.answer());
        } catch (SuiteRefusedException e) {
            fail(p, new HandshakeRefusedException(e.reason(), e.getMessage()));
            return;
        }
        KeySchedule keys = KeySchedule.derive(agreed.secret(), networkKey,
                transcript(self, from, sid, h.offerBytes, agreed.answer()));
        agreed.erase();
        try {
            if (!keys.confirms(false, accept.confirmation())) {
                fail(p, new HandshakeRefusedException(RefusalReason.NETWORK_KEY_MISMATCH, from.shortForm()
                        + "'s end-to-end keys do not confirm: the two nodes hold different network keys"));
                return;
            }
            Session s = new Session(sid, true, agreed.suite(), keys, runtime.monotonicMillis());
            h.timer.cancel();
            p.pending = null;
            p.add(s);
            LOG.debug("{}: end-to-end session with {} up ({})", self.shortForm(), from.shortForm(), s.suite);
        } finally {
            keys.erase();
        }
        List<Queued> waiting = new ArrayList<>(p.queue);
        p.queue.clear();
        for (Queued q : waiting) {
            queuedBytes -= q.payload.length;
            Futures.forward(send(from, q.type, q.payload), q.result);
        }
    }

    private void onRefuse(NodeId from, byte[] sid, RefusalReason reason) throws ChannelException {
        Peer p = peers.get(from);
        if (p == null) {
            throw new ChannelException(Problem.REPLAYED, "refusal of an unknown end-to-end session");
        }
        if (p.pending != null && Arrays.equals(p.pending.sessionId, sid)) {
            fail(p, new HandshakeRefusedException(reason, from.shortForm() + " refused the end-to-end session"));
            return;
        }
        // The destination lost the session (it restarted, or forgot it): the next message sets up another.
        if (!p.sessions.removeIf(s -> s.matches(sid) && s.erase())) {
            throw new ChannelException(Problem.REPLAYED, "refusal of an unknown end-to-end session");
        }
        LOG.info("{}: {} no longer knows an end-to-end session ({}); the next message sets up a new one",
                self.shortForm(), from.shortForm(), reason.wireName());
    }

    private void fail(Peer p, MeshException reason) {
        if (p.pending != null || !p.queue.isEmpty()) {
            LOG.info("{}: end-to-end session with {} failed: {}", self.shortForm(), p.id.shortForm(),
                    reason.getMessage());
        }
        Handshake h = p.pending;
        if (h != null) {
            h.timer.cancel();
            h.offer.close();
            p.pending = null;
        }
        for (Queued q : p.queue) {
            queuedBytes -= q.payload.length;
            q.result.completeExceptionally(reason);
        }
        p.queue.clear();
    }

    // ---------------------------------------------------------------- responder

    private void onInit(NodeId from, byte[] sid, byte[] offer) throws ChannelException {
        Peer p = admit(from);
        if (p == null) {
            throw new ChannelException(Problem.OVERFLOW, "end-to-end sessions with " + MAX_PEERS
                    + " nodes are all busy");
        }
        if (p.find(sid) != null) {
            return;
        }
        ChannelSuites.Agreement agreed;
        try {
            agreed = suites.answer(offer);
        } catch (SuiteRefusedException e) {
            LOG.info("{}: refused an end-to-end session from {}: {}", self.shortForm(), from.shortForm(),
                    e.getMessage());
            outlet.send(from, REFUSE, EndToEndWire.message(sid, EndToEndWire.refuse(e.reason())));
            return;
        }
        KeySchedule keys = KeySchedule.derive(agreed.secret(), networkKey,
                transcript(from, self, sid, offer, agreed.answer()));
        agreed.erase();
        byte[] confirmation;
        try {
            p.add(new Session(sid, false, agreed.suite(), keys, runtime.monotonicMillis()));
            confirmation = keys.confirmation(false);
        } finally {
            keys.erase();
        }
        outlet.send(from, ACCEPT, EndToEndWire.message(sid, EndToEndWire.accept(agreed.answer(), confirmation)));
    }

    // ---------------------------------------------------------------- records

    private void transmit(Peer p, Session s, String type, byte[] payload, CompletableFuture<MessageId> result) {
        s.records++;
        byte[] record = s.sealer.seal(EndToEndWire.content(type, payload));
        Futures.forward(outlet.send(p.id, DATA, EndToEndWire.message(s.id, record)), result);
    }

    private void onData(Envelope envelope, MessageId id, byte[] sid, byte[] record) throws ChannelException {
        NodeId from = envelope.origin();
        Peer p = peers.get(from);
        Session s = p == null ? null : p.find(sid);
        if (s == null) {
            // Tell the sender, so its next message sets up a new session rather than going unread
            // too. Each refusal costs a signature, so there are few, at most one per session id.
            if ((p == null || !Arrays.equals(sid, p.refused)) && mayRefuse()) {
                if (p != null) {
                    p.refused = sid;
                }
                outlet.send(from, REFUSE, EndToEndWire.message(sid,
                        EndToEndWire.refuse(RefusalReason.PROTOCOL_ERROR)));
            }
            throw new ChannelException(Problem.MALFORMED, "record of an unknown end-to-end session");
        }
        byte[] plain = s.opener.open(record);
        s.confirmed = true;
        s.opened++;
        EndToEndWire.Content c = EndToEndWire.parseContent(plain);
        if (!MessageTypes.valid(c.type()) || MessageTypes.reserved(c.type())) {
            throw new ChannelException(Problem.MALFORMED, "bad message type in an end-to-end record");
        }
        outlet.deliver(envelope, id, c.type(), c.payload());
    }

    // ---------------------------------------------------------------- state

    private byte[] transcript(NodeId initiator, NodeId responder, byte[] sid, byte[] offer, byte[] answer) {
        return Transcript.hash("meshkit/e2e/v1".getBytes(StandardCharsets.UTF_8), network, initiator.bytes(),
                responder.bytes(), sid, offer, answer);
    }

    private boolean mayRefuse() {
        long second = runtime.monotonicMillis() / 1000;
        if (second != refusalSecond) {
            refusalSecond = second;
            refusalsThisSecond = 0;
        }
        return refusalsThisSecond++ < MAX_REFUSALS_PER_SECOND;
    }

    /**
     * The entry for {@code id}, made if need be. When the table is full, the least recently used
     * idle entry (no key exchange, nothing waiting) gives way, one without a proven session first; if
     * none is idle, null: a crowd of new nodes cannot push out the sessions in use.
     */
    private Peer admit(NodeId id) {
        Peer p = peers.get(id);
        if (p != null) {
            return p;
        }
        if (peers.size() >= MAX_PEERS) {
            Peer victim = null;
            for (Peer o : peers.values()) {
                if (o.pending == null && o.queue.isEmpty()) {
                    if (!o.proven()) {
                        victim = o;
                        break;
                    }
                    if (victim == null) {
                        victim = o;
                    }
                }
            }
            if (victim == null) {
                return null;
            }
            peers.remove(victim.id);
            victim.forget(new MeshException(ErrorCode.BACKPRESSURE, "end-to-end sessions with more than "
                    + MAX_PEERS + " nodes"));
        }
        p = new Peer(id);
        peers.put(id, p);
        return p;
    }

    /** A message waiting for its session. */
    private record Queued(String type, byte[] payload, CompletableFuture<MessageId> result) {
    }

    /** This node's key exchange in progress with one remote node. */
    private static final class Handshake {
        final byte[] sessionId;
        final ChannelSuites.Offer offer;
        final byte[] offerBytes;
        Cancellable timer;

        Handshake(byte[] sessionId, ChannelSuites.Offer offer) {
            this.sessionId = sessionId;
            this.offer = offer;
            this.offerBytes = offer.bytes();
        }
    }

    /** One session's keys and counters. */
    private final class Session {
        final byte[] id;
        final boolean initiator;
        final String suite;
        final RecordSealer sealer;
        final DatagramOpener opener;
        final long created;
        long records;
        long opened;
        boolean confirmed;

        Session(byte[] id, boolean initiator, String suite, KeySchedule keys, long now) {
            this.id = id;
            this.initiator = initiator;
            this.suite = suite;
            this.sealer = keys.datagramSealer(initiator);
            this.opener = keys.datagramOpener(initiator);
            this.created = now;
            this.confirmed = initiator;
        }

        boolean matches(byte[] sid) {
            return Arrays.equals(id, sid);
        }

        boolean fresh(long now) {
            return confirmed && records < settings.rekeyRecords() && now - created < settings.rekeyInterval().toMillis();
        }

        /** Past the point where the next session should be set up. */
        boolean aging(long now) {
            return records >= settings.rekeyRecords() * RENEW_AT
                    || now - created >= settings.rekeyInterval().toMillis() * RENEW_AT;
        }

        /** Erases the keys; true, so it can end a removal predicate. */
        boolean erase() {
            sealer.erase();
            opener.erase();
            return true;
        }
    }

    /** Everything kept for one remote node. */
    private final class Peer {
        final NodeId id;
        final List<Session> sessions = new ArrayList<>(2 * SESSIONS_PER_SIDE);
        final ArrayDeque<Queued> queue = new ArrayDeque<>();
        Handshake pending;
        byte[] refused;

        Peer(NodeId id) {
            this.id = id;
        }

        /** The newest session that may carry a new record, or null. */
        Session sendable(long now) {
            for (int i = sessions.size() - 1; i >= 0; i--) {
                if (sessions.get(i).fresh(now)) {
                    return sessions.get(i);
                }
            }
            return null;
        }

        /** Whether a session with this node has carried a record. */
        boolean proven() {
            for (Session s : sessions) {
                if (s.confirmed && s.records + s.opened > 0) {
                    return true;
                }
            }
            return false;
        }

        Session find(byte[] sid) {
            for (Session s : sessions) {
                if (s.matches(sid)) {
                    return s;
                }
            }
            return null;
        }

        /** Adds a session, dropping the oldest of its side beyond the limit. */
        void add(Session s) {
            long sameSide = sessions.stream().filter(o -> o.initiator == s.initiator).count();
            if (sameSide >= SESSIONS_PER_SIDE) {
                for (Iterator<Session> it = sessions.iterator(); it.hasNext(); ) {
                    Session o = it.next();
                    if (o.initiator == s.initiator) {
                        o.erase();
                        it.remove();
                        break;
                    }
                }
            }
            sessions.add(s);
        }

        void forget(MeshException reason) {
            fail(this, reason);
            sessions.forEach(Session::erase);
            sessions.clear();
        }
    }
}
