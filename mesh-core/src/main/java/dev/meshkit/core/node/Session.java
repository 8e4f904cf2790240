package dev.meshkit.core.node;

import dev.meshkit.api.DisconnectReason;
import dev.meshkit.api.Endpoint;
import dev.meshkit.api.MessageId;
import dev.meshkit.api.NodeId;
import dev.meshkit.api.PeerInfo;
import dev.meshkit.api.spi.Cancellable;
import dev.meshkit.api.spi.Connection;
import dev.meshkit.api.spi.Verifier;
import dev.meshkit.api.wire.Frame;
import dev.meshkit.core.channel.ChannelSuites;
import dev.meshkit.core.channel.KeySchedule;
import dev.meshkit.core.channel.RecordSealer;
import dev.meshkit.core.defence.RemoteAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicBoolean;

/** One connection's protocol state, from the first frame to its close. Confined to the event loop. */
final class Session {
    private static final int MAX_QUEUED_DUPLICATES = 256;
    enum State { AWAIT_HELLO, AWAIT_WORK, AWAIT_WELCOME, AWAIT_AUTH, ESTABLISHED }

    final Connection connection;
    /** The connection's remote address, parsed once for the limits keyed by it. */
    final RemoteAddress address;
    /** True if the defences apply to this address (they are on and it is not exempt); set once. */
    boolean limited;
    /** Opens the peer's records on the transport thread. */
    final LinkInbox inbox;
    final boolean outbound;
    /** The endpoint this node dialled, or null for an inbound connection. */
    final Endpoint dialed;
    /** Completed with the peer's id when this session becomes a neighbour link; may be null. */
    final CompletableFuture<NodeId> connected;

    State state;
    byte[] localChallenge;
    byte[] remoteChallenge;
    NodeId peerId;
    /** Where the peer says it listens: a claim, proven only for {@link #dialed}. */
    Endpoint peerListen;
    /** Checks the peer's handshake proof; kept here so cache eviction cannot lose it mid-handshake. */
    Verifier peerVerifier;
    /** The listener's side of a puzzle: the hello it answers, the seed and bits it asked. */
    Frame.Hello puzzledHello;
    byte[] puzzleSeed;
    int puzzleBits;
    /** The dialler's side: a puzzle is being solved, and a second one is a protocol error. */
    boolean solving;
    /** The dialler's key shares, until the welcome answers one. */
    ChannelSuites.Offer offer;
    /** The hello's channel bytes as the dialler sent them, for its transcript. */
    byte[] channelOffer;
    /** The hints of the hello this node sent, as the transcript takes them. */
    byte[] helloHints;
    /** SHA-256 of the signed transcript, kept by the listener to check the auth. */
    byte[] transcript;
    /** The link's keys between their derivation and their confirmation. */
    KeySchedule linkKeys;
    /** The agreed link suite, or null for a plaintext link. */
    String suite;
    /** Seals what this node sends once the keys are confirmed; null before, and on plaintext links. */
    RecordSealer sealer;
    /**
     * True once only records may come from the peer (a refusal excepted, see CoreNode.dispatch).
     * Read by transport threads for the early duplicate drop.
     */
    volatile boolean encrypted;
    PeerInfo info;
    /** Monotonic times (see {@code NodeRuntime.monotonicMillis}). */
    long establishedAt;
    /** Written by transport threads too (a dropped duplicate is a sign of life), hence volatile. */
    volatile long lastHeard;
    /** Set once the handshake completed; read by transport threads. */
    volatile boolean established;
    /** Frames queued on the event loop for the end of its turn; see {@code CoreNode.enqueue}. */
    final List<byte[]> outbox = new ArrayList<>();
    long outboxBytes;
    /** Duplicates a transport thread dropped, for the event loop to report to the dissemination. */
    private final ConcurrentLinkedQueue<MessageId> duplicates = new ConcurrentLinkedQueue<>();
    private final AtomicInteger duplicatesQueued = new AtomicInteger();
    private final AtomicBoolean duplicatesDrainAsked = new AtomicBoolean();
    Cancellable handshakeTimer;
    /** Frames from this peer that were dropped as bad; drives log sampling. */
    long badFrames;
    /** The dialler said it has fewer than two neighbours: a full node makes room for it. */
    boolean needy;
    /** The peer's join walks went out through this node; a link asks for them once. */
    boolean walksStarted;
    /** Dialled to take in a newcomer at the end of its join walk: a full node makes room for it. */
    boolean adopting;
    /** A listener may share peers once before refusing us; more is noise from an unproven peer. */
    boolean sharedBeforeRefusal;

    /** Set when this node closes the session on purpose, to report the right reason. */
    DisconnectReason closeReason;
    String closeDetail;
    /** Set by a goodbye (or a late refusal) from the peer. */
    String byeReason;

    Session(Connection connection, LinkInbox inbox, Endpoint dialed, CompletableFuture<NodeId> connected, long now) {
        this.connection = connection;
        this.address = RemoteAddress.parse(connection.remoteAddress());
        this.inbox = inbox;
        this.outbound = dialed != null;
        this.dialed = dialed;
        this.connected = connected;
        this.state = outbound ? State.AWAIT_WELCOME : State.AWAIT_HELLO;
        this.lastHeard = now;
    }

    /** The endpoint to redial this peer at: what was dialled, else what it claims to listen on. */
    Endpoint reachableAt() {
        return dialed != null ? dialed : peerListen;
    }

    /** The id of the node that dialled this link. */
    NodeId dialer(NodeId self) {
        return outbound ? self : peerId;
    }

    /** The challenge the dialler sent in its hello. */
    byte[] dialerChallenge() {
        return outbound ? localChallenge : remoteChallenge;
    }

    /**
     * Queues a dropped duplicate's id, from a transport thread; a full queue drops it (a later one
     * reports the same link). True if the caller must ask the event loop to {@link #takeDuplicates}.
     */
    boolean queueDuplicate(MessageId id) {
        if (duplicatesQueued.incrementAndGet() > MAX_QUEUED_DUPLICATES) {
            duplicatesQueued.decrementAndGet();
            return false;
        }
        duplicates.add(id);
        return duplicatesDrainAsked.compareAndSet(false, true);
    }

    /** The queued duplicates' ids, on the event loop. */
    List<MessageId> takeDuplicates() {
        duplicatesDrainAsked.set(false); // an id queued from now on asks again
        List<MessageId> out = new ArrayList<>();
        for (MessageId id; (id = duplicates.poll()) != null; ) {
            duplicatesQueued.decrementAndGet();
            out.add(id);
        }
        return out;
    }

    /** Counts a dropped frame; true when this one should be logged (1st, 2nd, 4th, 8th, ...). */
    boolean countBadFrame() {
        badFrames++;
        return Long.bitCount(badFrames) == 1;
    }

    /** Erases what this session holds of the link's keys; the connection is gone. */
    void eraseKeys() {
        if (offer != null) {
            offer.close();
            offer = null;
        }
        if (linkKeys != null) {
            linkKeys.erase();
            linkKeys = null;
        }
        if (sealer != null) {
            sealer.erase();
        }
    }

    String describe() {
        return (peerId != null ? peerId.shortForm() + "@" : "") + connection.remoteAddress();
    }
}
