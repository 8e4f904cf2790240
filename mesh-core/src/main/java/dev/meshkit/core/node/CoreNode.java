package dev.meshkit.core.node;

import dev.meshkit.api.ChannelSettings;
import dev.meshkit.api.DefenceSettings;
import dev.meshkit.api.DisconnectReason;
import dev.meshkit.api.Endpoint;
import dev.meshkit.api.ErrorCode;
import dev.meshkit.api.HandshakeRefusedException;
import dev.meshkit.api.InvalidEndpointException;
import dev.meshkit.api.MeshConfig;
import dev.meshkit.api.MeshEvent;
import dev.meshkit.api.MeshEventListener;
import dev.meshkit.api.MeshException;
import dev.meshkit.api.MeshNode;
import dev.meshkit.api.MeshStats;
import dev.meshkit.api.Message;
import dev.meshkit.api.MessageHandler;
import dev.meshkit.api.MessageId;
import dev.meshkit.api.NoRouteException;
import dev.meshkit.api.NodeId;
import dev.meshkit.api.PeerInfo;
import dev.meshkit.api.PeerScore;
import dev.meshkit.api.RefusalReason;
import dev.meshkit.api.Subscription;
import dev.meshkit.api.spi.Cancellable;
import dev.meshkit.api.spi.ChannelException;
import dev.meshkit.api.spi.Codec;
import dev.meshkit.api.spi.CodecProvider;
import dev.meshkit.api.spi.Connection;
import dev.meshkit.api.spi.ConnectionHandler;
import dev.meshkit.api.spi.IdentityScheme;
import dev.meshkit.api.spi.KeyMaterial;
import dev.meshkit.api.spi.Listener;
import dev.meshkit.api.spi.MessageClass;
import dev.meshkit.api.spi.NodeRuntime;
import dev.meshkit.api.spi.PeerCandidate;
import dev.meshkit.api.spi.Router;
import dev.meshkit.api.spi.RouterProvider;
import dev.meshkit.api.spi.SecureChannelProvider;
import dev.meshkit.api.spi.Signer;
import dev.meshkit.api.spi.Transport;
import dev.meshkit.api.spi.TransportProvider;
import dev.meshkit.api.spi.TrustDecision;
import dev.meshkit.api.spi.TrustPolicy;
import dev.meshkit.api.spi.TrustPolicyProvider;
import dev.meshkit.api.wire.Envelope;
import dev.meshkit.api.wire.Frame;
import dev.meshkit.api.wire.FrameDecodeException;
import dev.meshkit.api.wire.PeerRecord;
import dev.meshkit.core.Identities;
import dev.meshkit.core.channel.ChannelSuites;
import dev.meshkit.core.channel.KeySchedule;
import dev.meshkit.core.channel.Records;
import dev.meshkit.core.channel.SuiteRefusedException;
import dev.meshkit.core.codec.MessageTypes;
import dev.meshkit.core.defence.Defences;
import dev.meshkit.core.defence.PeerScores;
import dev.meshkit.core.defence.Puzzle;
import dev.meshkit.core.defence.RateLimiter;
import dev.meshkit.core.defence.RemoteAddress;
import dev.meshkit.core.defence.ReplayGuard;
import dev.meshkit.core.endtoend.EndToEnd;
import dev.meshkit.core.gossip.Dissemination;
import dev.meshkit.core.gossip.GossipLinks;
import dev.meshkit.core.gossip.EnvelopeSigning;
import dev.meshkit.core.gossip.VerifierCache;
import dev.meshkit.core.peers.CandidateBook;
import dev.meshkit.core.peers.SelfAddresses;
import dev.meshkit.core.runtime.EventLoopRuntime;
import dev.meshkit.core.runtime.Futures;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node runtime. Public methods may be called from any thread; they hand their work to the
 * node's event loop, which alone touches the protocol state below. Futures the node returns are
 * completed on its event loop: do not block in their callbacks.
 */
final class CoreNode implements MeshNode {
    private static final Logger LOG = LoggerFactory.getLogger(CoreNode.class);
    static final int PROTOCOL_VERSION = 5;
    private static final int CHALLENGE_BYTES = 32;
    private static final int MAX_PEERS_SHARED = 64;
    /**
     * Hops a newcomer's join walk takes, and the hop count at which nodes on the way remember it
     * (HyParView's active and passive walk lengths): long enough for the walks' ends to lie anywhere
     * in the mesh, so a node's links do not all cluster around where it joined.
     */
    private static final int JOIN_WALK_HOPS = 6;
    private static final int JOIN_REMEMBER_AT = 3;
    private static final int MAX_PARALLEL_DIALS = 8;
    private static final int MAX_PENDING_VERIFY = 10_000;
    private static final int VERIFY_PARALLELISM = Math.max(1, Runtime.getRuntime().availableProcessors());
    private static final int MIN_VERIFY_BATCH = 4;
    /** Ids per announcement or graft frame: a 512-id frame is 8 KiB in binary, 18 KiB in JSON. */
    private static final int MAX_IDS_PER_FRAME = 512;
    /** A bundle is cut at 64 KiB (or the frame limits, if lower) and this many frames. */
    private static final int MAX_BUNDLE_BYTES = 64 << 10;
    private static final int MAX_FRAMES_PER_BUNDLE = 1024;
    /** Copies of one message id that may be verified at once (the genuine one plus one forgery). */
    private static final int MAX_SIGNATURES_PER_ID = 2;
    /**
     * Bad signatures a neighbour may relay before it is cut off. An honest node verifies before it
     * relays, so it never relays one; a few are let pass for a corrupted frame on a plaintext link.
     */
    /** How long a node cut off for misbehaving is refused. */
    private static final int MAX_INFLIGHT_FRAMES = 65_536;
    /** Application calls queued for the event loop; beyond this broadcast and sendTo push back. */
    static final int MAX_QUEUED_CALLS = 65_536;
    /** Payload bytes of the queued application calls; a count alone would let 512 KiB payloads pile up. */
    static final long MAX_QUEUED_CALL_BYTES = 64L << 20;
    private static final int MAX_VERIFIERS = 4096;
    private static final int MAX_SELF_CHALLENGES = 16;
    private static final long MAINTENANCE_MILLIS = 1000;
    /** Peers whose scores are remembered at most. */
    private static final int MAX_SCORED_PEERS = 4096;
    /** Origins whose recent sequence numbers are tracked at most. */
    private static final int MAX_SEQUENCE_ORIGINS = 65_536;
    /** Hops fit one byte on the wire; a message that has made 255 hops goes no further. */
    private static final int MAX_HOPS = 255;
    /**
     * A node with fewer neighbours than this asks a full listener to make room: with one link it
     * hangs by a thread, since losing that link cuts it off.
     */
    private static final int NEEDY_BELOW = 2;
    /** After being displaced, a node does not claim to be needy for this long (damps cascades). */
    private static final long DISPLACED_QUIET_MILLIS = 10_000;
    /** Transports may count frame headers in their queue; a frame "fits" only with this margin. */
    private static final int FRAME_HEADER_SLACK = 1024;
    /** The key confirmation ending a welcome's channel bytes: an HMAC-SHA-256. */
    private static final int CONFIRMATION_BYTES = 32;

    private enum Lifecycle { NEW, STARTING, RUNNING, STOPPING, STOPPED }

    private final MeshConfig config;
    private final NodeRuntime runtime;
    private final boolean ownsRuntime;
    private final KeyMaterial keys;
    private final IdentityScheme scheme;
    private final Signer signer;
    private final NodeId id;
    private final Codec codec;
    private final ChannelSuites channelSuites;
    /** Direct messages' end-to-end sessions; null when links are plaintext. */
    private final EndToEnd endToEnd;
    /** The network's pre-shared key, or null. */
    private final byte[] networkKey;
    private final TrustPolicy trust;
    private final VerifierCache verifiers;
    private final SecureRandom secureRandom;
    private final AtomicReference<Lifecycle> lifecycle = new AtomicReference<>(Lifecycle.NEW);
    private final CompletableFuture<MeshNode> started = new CompletableFuture<>();
    private final CompletableFuture<Void> stopped = new CompletableFuture<>();
    /** connect() and sendTo() futures not yet completed, failed together if the node stops. */
    private final Set<CompletableFuture<?>> pendingOps = ConcurrentHashMap.newKeySet();
    private final AtomicLong sequence = new AtomicLong();
    private final AtomicInteger inflightFrames = new AtomicInteger();
    private final AtomicInteger queuedCalls = new AtomicInteger();
    private final AtomicLong queuedCallBytes = new AtomicLong();
    private final Map<String, CopyOnWriteArrayList<MessageHandler>> handlers = new ConcurrentHashMap<>();
    private final CopyOnWriteArrayList<MeshEventListener> eventListeners = new CopyOnWriteArrayList<>();
    private final NodeStats stats = new NodeStats();
    private final long maxMessageAgeMillis;
    private final long maxFutureSkewMillis;
    private volatile List<Endpoint> endpoints = List.of();
    private volatile List<PeerInfo> peerSnapshot = List.of();

    // Event-loop state.
    private final Map<String, Transport> transports = new HashMap<>();
    private final Set<String> unsupportedSchemes = new HashSet<>();
    private final List<Listener> listeners = new ArrayList<>();
    // Insertion-ordered so iteration, and hence a simulated run, is reproducible.
    private final Map<Connection, Session> sessions = new LinkedHashMap<>();
    private final Map<NodeId, Session> neighbours = new LinkedHashMap<>();
    /** Dials not yet open, counted per endpoint (connect() may dial what maintenance dials). */
    private final Map<Endpoint, Integer> dialing = new HashMap<>();
    /** Whether this node has asked for its join walks since it started. */
    private boolean joinAnnounced;
    private int dialsInFlight;
    private final SelfAddresses self = new SelfAddresses();
    /** Challenges of hellos this node refused as its own, to recognise a genuine self-dial. */
    private final LinkedHashSet<String> selfChallenges = new LinkedHashSet<>();
    private final Map<MessageId, List<byte[]>> pendingVerify = new HashMap<>();
    private int verificationsInFlight;
    private final List<Cancellable> timers = new ArrayList<>();
    private final ReplayGuard replay;
    private final Dissemination dissemination;
    private final CandidateBook candidates;
    private final Defences defences;
    private final PeerScores scores;
    private volatile List<PeerScore> scoreSnapshot = List.of();
    private final PluginRunner plugins;
    private Router router;
    private boolean pluginsStarted;
    private long lastDisplacement = Long.MIN_VALUE / 2;
    private long displacedAt = Long.MIN_VALUE / 2;
    /** The one outbound handshake allowed to claim "no links"; null if none. */
    private Session needyClaim;
    /** Each open connection's way in, used by transport threads. */
    private final Map<Connection, LinkInbox> live = new ConcurrentHashMap<>();
    private boolean shutDown;
    /** Links with frames queued in this turn of the loop, and whether the flush is queued. */
    private final List<Session> toFlush = new ArrayList<>();
    private boolean flushScheduled;
    private final int bundleBytes;
    /** Messages to verify, handed to the workers together at the end of this turn of the loop. */
    private List<Verification> toVerify = new ArrayList<>();

    CoreNode(MeshConfig config) {
        this.config = config;
        this.keys = resolveKeys(config);
        this.scheme = Identities.scheme(keys.scheme());
        this.signer = scheme.signer(keys);
        this.id = keys.nodeId();
        this.verifiers = new VerifierCache(scheme, MAX_VERIFIERS);
        this.ownsRuntime = config.runtime() == null;
        this.runtime = ownsRuntime
                ? new EventLoopRuntime(id.shortForm(), Math.max(1, Runtime.getRuntime().availableProcessors()), 50_000)
                : config.runtime();
        this.secureRandom = runtime.secureRandom();
        this.codec = Plugins.choose(CodecProvider.class, config.codec(), CodecProvider::name, CodecProvider::priority)
                .create(config.frameLimits());
        if (config.channel().requirePostQuantum() && !scheme.postQuantum()) {
            throw new MeshException(ErrorCode.INVALID_CONFIG, "post-quantum links are required but the identity"
                    + " scheme " + scheme.name() + " is not post-quantum");
        }
        this.channelSuites = ChannelSuites.of(config.channel(), Plugins.all(SecureChannelProvider.class));
        this.networkKey = config.channel().networkKey();
        LOG.debug("{}: link suites {}", id.shortForm(), channelSuites.plaintext() ? "none (plaintext)"
                : channelSuites.names());
        this.trust = config.trustPolicy() != null ? config.trustPolicy()
                : Plugins.choose(TrustPolicyProvider.class, null, TrustPolicyProvider::name,
                        TrustPolicyProvider::priority).create();
        // Both use the wall clock on purpose: the origin stamped wall-clock time.
        this.maxFutureSkewMillis = config.defences().maxClockSkew().toMillis();
        this.maxMessageAgeMillis = config.defences().maxMessageAge().toMillis();
        this.defences = new Defences(config.defences());
        this.scores = new PeerScores(config.defences().scoring(), MAX_SCORED_PEERS);
        this.replay = new ReplayGuard(config.defences().seenCapacity(), maxMessageAgeMillis, maxFutureSkewMillis,
                config.defences().sequenceWindow(), MAX_SEQUENCE_ORIGINS);
        // Sequence numbers continue from the clock, so a restarted node does not reuse the numbers it
        // used before, which its peers' sequence windows still hold.
        this.sequence.set(runtime.nowMillis() * 1000);
        this.dissemination = Dissemination.create(config.gossip(), new Links());
        this.bundleBytes = Math.min(MAX_BUNDLE_BYTES, Math.min(config.frameLimits().maxFrameBytes(),
                config.transportOptions().maxFrameBytes() - Records.OVERHEAD));
        if (!channelSuites.plaintext()
                && config.transportOptions().maxFrameBytes() < config.frameLimits().maxFrameBytes() + Records.OVERHEAD) {
            throw new MeshException(ErrorCode.INVALID_CONFIG, "the transport's frame limit must leave "
                    + Records.OVERHEAD + " bytes above the largest frame for the record around it");
        }
        if (!channelSuites.plaintext()) {
            int init = EndToEnd.initBytes(channelSuites);
            if (config.frameLimits().maxPayloadBytes() < init) {
                throw new MeshException(ErrorCode.INVALID_CONFIG, "maxPayloadBytes must be at least " + init
                        + " to carry an end-to-end key exchange with " + channelSuites.names());
            }
        }
        // A session stays open for late records as long as a message it carried may still be accepted.
        this.endToEnd = channelSuites.plaintext() ? null : new EndToEnd(id, config.network(), channelSuites,
                config.channel(), runtime, config.handshakeTimeout().toMillis(),
                maxMessageAgeMillis + maxFutureSkewMillis + config.handshakeTimeout().toMillis(), new EndToEndOutlet());
        this.candidates = new CandidateBook(config.maxCandidates(), config.reconnect(),
                e -> self.isSelf(e) || transportFor(e.scheme()) == null);
        this.plugins = new PluginRunner(this, config);
    }

    private static KeyMaterial resolveKeys(MeshConfig config) {
        KeyMaterial k;
        if (config.keys() != null) {
            k = config.keys();
        } else if (config.keyFile() != null) {
            k = Identities.loadOrCreate(config.keyFile(), config.identityScheme());
        } else {
            k = Identities.generate(config.identityScheme());
        }
        if (config.identityScheme() != null && !config.identityScheme().equals(k.scheme())) {
            throw new MeshException(ErrorCode.INVALID_CONFIG, "keys are " + k.scheme() + " but the identity scheme is "
                    + config.identityScheme());
        }
        return k;
    }

    // ---------------------------------------------------------------- public API

    @Override
    public NodeId id() {
        return id;
    }

    @Override
    public List<Endpoint> endpoints() {
        return endpoints;
    }

    @Override
    public List<PeerInfo> peers() {
        return peerSnapshot;
    }

    @Override
    public boolean isRunning() {
        return lifecycle.get() == Lifecycle.RUNNING;
    }

    @Override
    public List<PeerScore> scores() {
        return scoreSnapshot;
    }

    @Override
    public MeshStats stats() {
        return stats.snapshot();
    }

    @Override
    public CompletableFuture<MeshNode> start() {
        if (lifecycle.compareAndSet(Lifecycle.NEW, Lifecycle.STARTING)) {
            runtime.execute(this::startOnLoop);
        } else if (lifecycle.get() == Lifecycle.STOPPING || lifecycle.get() == Lifecycle.STOPPED) {
            return CompletableFuture.failedFuture(notRunning()); // a node runs once
        }
        return started;
    }

    @Override
    public CompletableFuture<NodeId> connect(Endpoint endpoint) {
        CompletableFuture<NodeId> result = tracked(new CompletableFuture<>());
        onLoop(result, 0, () -> {
            if (self.isSelf(endpoint)) {
                result.completeExceptionally(new HandshakeRefusedException(RefusalReason.SELF_CONNECTION,
                        endpoint + " is this node"));
                return;
            }
            for (Session s : neighbours.values()) {
                if (endpoint.equals(s.dialed)) {
                    result.complete(s.peerId);
                    return;
                }
            }
            candidates.offer(endpoint, "connect");
            dial(endpoint, result);
        });
        return result;
    }

    @Override
    public MessageId broadcast(String type, byte[] payload) {
        return broadcast(type, payload, config.gossip().defaultTtl());
    }

    @Override
    public MessageId broadcast(String type, byte[] payload, int ttl) {
        if (ttl < 0 || ttl > 255) {
            throw new MeshException(ErrorCode.INVALID_CONFIG, "ttl must be 0..255");
        }
        reserveCall(payload.length); // before signing, so a refused call costs no signature
        Sealed sealed;
        try {
            sealed = seal(type, null, payload, ttl);
        } catch (RuntimeException ex) {
            releaseCall(payload.length);
            throw ex;
        }
        Envelope e = sealed.envelope();
        MessageId mid = sealed.id();
        executeCall(payload.length, () -> {
            if (lifecycle.get() == Lifecycle.RUNNING) {
                replay.own(mid, id, e.timestamp(), e.sequence());
                stats.published.incrementAndGet();
                dissemination.spread(e, mid, null);
            }
        });
        return mid;
    }

    @Override
    public CompletableFuture<MessageId> sendTo(NodeId destination, String type, byte[] payload) {
        CompletableFuture<MessageId> result = tracked(new CompletableFuture<>());
        if (endToEnd != null && !destination.equals(id)) {
            byte[] copy;
            try {
                checkCall(type, payload, true);
                copy = payload.clone();
            } catch (MeshException ex) {
                result.completeExceptionally(ex);
                return result;
            }
            onLoop(result, payload.length, () -> {
                stats.published.incrementAndGet();
                Futures.forward(endToEnd.send(destination, type, copy), result);
            });
            return result;
        }
        Sealed sealed;
        try {
            sealed = seal(type, destination, payload, config.gossip().defaultTtl());
        } catch (MeshException ex) {
            result.completeExceptionally(ex);
            return result;
        }
        onLoop(result, payload.length, () -> {
            stats.published.incrementAndGet();
            if (destination.equals(id)) {
                deliver(sealed.envelope(), sealed.id(), sealed.envelope().type(), sealed.envelope().payload(),
                        Message.Delivery.DIRECT, false);
                result.complete(sealed.id());
            } else {
                Futures.forward(towards(sealed.envelope(), sealed.id()), result);
            }
        });
        return result;
    }

    /**
     * Sends a direct message on towards its destination: on the link if it is a neighbour, else
     * through the router. Completes when handed to the next hop.
     */
    private CompletableFuture<MessageId> towards(Envelope e, MessageId mid) {
        Session s = neighbours.get(e.destination());
        if (s != null) {
            return enqueue(s, codec.encode(new Frame.Publish(e, mid))) ? CompletableFuture.completedFuture(mid)
                    : CompletableFuture.failedFuture(new MeshException(ErrorCode.BACKPRESSURE,
                    "could not queue the message for " + e.destination().shortForm()));
        }
        CompletableFuture<MessageId> sent = new CompletableFuture<>();
        try {
            Futures.forward(Objects.requireNonNull(router.route(e), "the router returned no future")
                    .thenApply(v -> mid), sent);
        } catch (RuntimeException ex) {
            LOG.warn("{}: the router failed on message {}", id.shortForm(), mid, ex);
            sent.completeExceptionally(new NoRouteException(e.destination(), "the router failed: " + ex));
        }
        return sent;
    }

    /** What end-to-end sessions use of the node. */
    private final class EndToEndOutlet implements EndToEnd.Outlet {
        @Override
        public CompletableFuture<MessageId> send(NodeId destination, String type, byte[] payload) {
            Sealed sealed = sign(type, destination, payload, config.gossip().defaultTtl());
            return towards(sealed.envelope(), sealed.id());
        }

        @Override
        public void deliver(Envelope envelope, MessageId mid, String type, byte[] payload) {
            CoreNode.this.deliver(envelope, mid, type, payload, Message.Delivery.DIRECT, true);
        }
    }

    /** A signed envelope and its id, both from one computation of the signed bytes. */
    private record Sealed(Envelope envelope, MessageId id) {
    }

    private Sealed seal(String type, NodeId destination, byte[] payload, int ttl) {
        checkCall(type, payload, false);
        return sign(type, destination, payload.clone(), ttl);
    }

    /** Whether the application may send this message now, sealed end to end or not. */
    private void checkCall(String type, byte[] payload, boolean endToEndSealed) {
        if (!isRunning()) {
            throw notRunning();
        }
        if (!MessageTypes.valid(type)) {
            throw new MeshException(ErrorCode.INVALID_CONFIG, "message type must be 1-64 characters of [A-Za-z0-9._:/-]");
        }
        if (MessageTypes.reserved(type)) {
            throw new MeshException(ErrorCode.INVALID_CONFIG, "message types starting with "
                    + MessageTypes.RESERVED_PREFIX + " are the node's own");
        }
        int maxPayload = endToEndSealed ? EndToEnd.maxPayload(config.frameLimits().maxPayloadBytes(), type)
                : config.frameLimits().maxPayloadBytes();
        if (payload.length > maxPayload) {
            throw new MeshException(ErrorCode.MESSAGE_TOO_LARGE, "payload of " + payload.length
                    + " bytes exceeds the limit of " + maxPayload);
        }
        if (!defences.mayPublish(runtime.monotonicMillis())) {
            throw new MeshException(ErrorCode.RATE_LIMITED, "this node sends faster than the "
                    + defences.settings().messages() + " per origin its peers accept");
        }
    }

    /** Signs a message; {@code copy} becomes the envelope's. */
    private Sealed sign(String type, NodeId destination, byte[] copy, int ttl) {
        Envelope unsigned = new Envelope(type, id, destination, runtime.nowMillis(), sequence.incrementAndGet(), ttl, 0,
                copy, keys.publicKey(), new byte[0]);
        byte[] signed = EnvelopeSigning.signedBytes(unsigned);
        return new Sealed(new Envelope(type, id, destination, unsigned.timestamp(), unsigned.sequence(), ttl, 0, copy,
                keys.publicKey(), signer.sign(signed)), EnvelopeSigning.messageId(signed));
    }

    @Override
    public Subscription on(String type, MessageHandler handler) {
        handlers.computeIfAbsent(type, t -> new CopyOnWriteArrayList<>()).add(handler);
        return () -> off(type, handler);
    }

    @Override
    public void off(String type, MessageHandler handler) {
        handlers.computeIfPresent(type, (t, list) -> {
            list.remove(handler);
            return list.isEmpty() ? null : list;
        });
    }

    @Override
    public Subscription onEvent(MeshEventListener listener) {
        eventListeners.add(listener);
        return () -> eventListeners.remove(listener);
    }

    @Override
    public CompletableFuture<Void> stop() {
        Lifecycle previous = lifecycle.getAndUpdate(
                l -> l == Lifecycle.NEW ? Lifecycle.STOPPED : l == Lifecycle.STOPPED ? l : Lifecycle.STOPPING);
        if (previous == Lifecycle.NEW) {
            finishStop("stopped before start");
        } else if (previous == Lifecycle.STARTING || previous == Lifecycle.RUNNING) {
            if (runtime.inEventLoop()) {
                shutdownOnLoop("stopped"); // called from a handler: queuing would deadlock close()
            } else {
                runtime.execute(() -> shutdownOnLoop("stopped"));
            }
        }
        return stopped;
    }

    private static MeshException notRunning() {
        return new MeshException(ErrorCode.NOT_RUNNING, "node is not running");
    }

    private <T> CompletableFuture<T> tracked(CompletableFuture<T> f) {
        pendingOps.add(f);
        f.whenComplete((v, err) -> pendingOps.remove(f));
        return f;
    }

    /** Counts an application call queued for the loop, refusing it when too many calls or bytes wait. */
    private void reserveCall(int bytes) {
        int calls = queuedCalls.incrementAndGet();
        long total = queuedCallBytes.addAndGet(bytes);
        if (calls > MAX_QUEUED_CALLS || total > MAX_QUEUED_CALL_BYTES) {
            releaseCall(bytes);
            throw new MeshException(ErrorCode.BACKPRESSURE, calls + " calls (" + total
                    + " payload bytes) are waiting for the node's event loop; slow down");
        }
    }

    private void releaseCall(int bytes) {
        queuedCalls.decrementAndGet();
        queuedCallBytes.addAndGet(-bytes);
    }

    /** Queues a reserved call; the reservation is released when it runs, or at once if refused. */
    private void executeCall(int bytes, Runnable call) {
        try {
            runtime.execute(() -> {
                releaseCall(bytes);
                call.run();
            });
        } catch (RuntimeException e) {
            releaseCall(bytes);
            throw new MeshException(ErrorCode.BACKPRESSURE, "the node's event loop refused the call: " + e);
        }
    }

    // Runs a user operation on the loop, failing its future if the node is not running by then.
    private void onLoop(CompletableFuture<?> result, int bytes, Runnable op) {
        if (!isRunning()) {
            result.completeExceptionally(notRunning());
            return;
        }
        try {
            reserveCall(bytes);
            executeCall(bytes, () -> {
                if (lifecycle.get() != Lifecycle.RUNNING) {
                    result.completeExceptionally(notRunning());
                } else {
                    op.run();
                }
            });
        } catch (RuntimeException ex) {
            result.completeExceptionally(ex);
        }
    }

    // ---------------------------------------------------------------- lifecycle (event loop)

    private void startOnLoop() {
        try {
            RouterProvider routing = config.routerProvider() != null ? config.routerProvider()
                    : Plugins.choose(RouterProvider.class, config.router(), RouterProvider::name,
                    RouterProvider::priority);
            router = routing.create(new NodeRouterContext(this));
            for (Transport t : config.transports()) {
                for (String s : t.schemes()) {
                    transports.putIfAbsent(s, t);
                }
            }
        } catch (RuntimeException e) {
            failStart(e);
            return;
        }
        List<CompletableFuture<Listener>> binds = new ArrayList<>();
        for (Endpoint e : config.listen()) {
            Transport t = transportFor(e.scheme());
            binds.add(t == null
                    ? CompletableFuture.failedFuture(new MeshException(ErrorCode.MISSING_PROVIDER,
                            "no transport for scheme " + e.scheme()))
                    : t.listen(e, new LinkHandler(null, null, false)));
        }
        CompletableFuture.allOf(binds.toArray(new CompletableFuture[0])).whenComplete((v, err) ->
                runtime.execute(() -> bound(binds, err)));
    }

    private void bound(List<CompletableFuture<Listener>> binds, Throwable err) {
        for (CompletableFuture<Listener> b : binds) {
            if (!b.isCompletedExceptionally()) {
                if (shutDown) {
                    b.join().close(); // the node stopped while binding
                } else {
                    listeners.add(b.join());
                }
            }
        }
        if (shutDown) {
            return;
        }
        if (err != null) {
            failStart(err.getCause() != null ? err.getCause() : err);
        } else if (lifecycle.compareAndSet(Lifecycle.STARTING, Lifecycle.RUNNING)) {
            becomeRunning();
        }
    }

    private void failStart(Throwable cause) {
        LOG.error("{}: start failed: {}", id.shortForm(), cause.toString());
        started.completeExceptionally(cause);
        lifecycle.set(Lifecycle.STOPPING);
        shutdownOnLoop("start failed");
    }

    private void becomeRunning() {
        List<Endpoint> bound = new ArrayList<>();
        for (Listener l : listeners) {
            Endpoint e = l.endpoint();
            self.addOwn(e);
            if (e.isWildcard() && config.advertise() == null) {
                LOG.warn("{}: listening on {} without an advertised endpoint: peers are told 127.0.0.1",
                        id.shortForm(), e);
            }
            bound.add(e.isWildcard() ? e.withHost("127.0.0.1") : e);
        }
        if (config.advertise() != null) {
            bound.add(0, config.advertise());
        }
        bound.forEach(self::addOwn);
        endpoints = List.copyOf(bound);
        long keepaliveTick = Math.min(config.keepalive().interval().toMillis(),
                config.keepalive().deadAfter().toMillis() / 3);
        every(keepaliveTick, this::keepalive);
        every(config.peerExchangeInterval().toMillis(), this::askForPeers);
        every(MAINTENANCE_MILLIS, this::maintain);
        every(MAINTENANCE_MILLIS, this::rescore);
        if (endToEnd != null) {
            every(MAINTENANCE_MILLIS, endToEnd::sweep);
        }
        LOG.info("{}: started on {} (network {}, scheme {})", id.shortForm(), endpoints, config.network(),
                scheme.name());
        pluginsStarted = true;
        plugins.start(this::offerDiscovered);
        // Listeners and start() callbacks may stop the node: every later step checks.
        emit(new MeshEvent.NodeStarted(id, endpoints));
        started.complete(this);
        if (lifecycle.get() != Lifecycle.RUNNING) {
            return;
        }
        for (String seed : config.seeds()) {
            try {
                Endpoint e = Endpoint.parse(seed);
                if (!candidates.offerSeed(e)) {
                    LOG.warn("{}: seed {} skipped: it is this node or has no transport", id.shortForm(), seed);
                }
            } catch (InvalidEndpointException ex) {
                LOG.warn("{}: seed skipped: {}", id.shortForm(), ex.getMessage());
            }
        }
        maintain();
    }

    /** Where discoveries report candidates: onto the loop, into the book, then a dial round. */
    private void offerDiscovered(PeerCandidate c) {
        runtime.execute(() -> {
            if (lifecycle.get() == Lifecycle.RUNNING && candidates.offer(c.endpoint(), c.source())) {
                maintain();
            }
        });
    }

    private void every(long periodMillis, Runnable task) {
        Cancellable[] current = new Cancellable[1];
        Runnable[] tick = new Runnable[1];
        tick[0] = () -> {
            if (lifecycle.get() != Lifecycle.RUNNING) {
                return;
            }
            task.run();
            current[0] = runtime.schedule(periodMillis, tick[0]);
        };
        current[0] = runtime.schedule(periodMillis, tick[0]);
        timers.add(() -> current[0].cancel());
    }

    private void shutdownOnLoop(String reason) {
        if (shutDown) {
            return;
        }
        shutDown = true;
        if (pluginsStarted) {
            plugins.stop();
        }
        timers.forEach(Cancellable::cancel);
        timers.clear();
        dissemination.close();
        for (Session s : sessions.values()) {
            if (s.state == Session.State.ESTABLISHED) {
                send(s, codec.encode(new Frame.Bye("shutdown")));
            }
            s.closeReason = DisconnectReason.LOCAL_SHUTDOWN;
        }
        // Events are fired here: close callbacks would arrive after the loop has ended.
        for (Session s : neighbours.values()) {
            emit(new MeshEvent.PeerDisconnected(s.info, DisconnectReason.LOCAL_SHUTDOWN, reason));
        }
        List<Session> all = new ArrayList<>(sessions.values());
        sessions.clear();
        live.values().forEach(LinkInbox::close);
        live.clear();
        all.forEach(Session::eraseKeys);
        if (endToEnd != null) {
            endToEnd.close(notRunning());
        }
        neighbours.clear();
        publishSnapshot();
        for (Session s : all) {
            s.connection.close(1001, "shutdown");
        }
        listeners.forEach(Listener::close);
        listeners.clear();
        if (router != null) {
            router.close();
        }
        new HashSet<>(transports.values()).forEach(t -> guard("transport close", t::close));
        transports.clear();
        finishStop(reason);
    }

    private void finishStop(String reason) {
        lifecycle.set(Lifecycle.STOPPED);
        started.completeExceptionally(notRunning());
        for (CompletableFuture<?> op : List.copyOf(pendingOps)) {
            op.completeExceptionally(notRunning());
        }
        emit(new MeshEvent.NodeStopped(id, reason));
        LOG.info("{}: stopped ({})", id.shortForm(), reason);
        if (ownsRuntime) {
            runtime.close();
        }
        stopped.complete(null);
    }

    // A failure of plugin or policy code is logged; it never takes the node down.
    void guard(String what, Runnable action) {
        try {
            action.run();
        } catch (RuntimeException e) {
            LOG.error("{}: {} failed", id.shortForm(), what, e);
        }
    }

    private TrustDecision decide(String what, Supplier<TrustDecision> decision) {
        try {
            TrustDecision d = decision.get();
            return d != null ? d : TrustDecision.refuse("trust policy gave no decision");
        } catch (RuntimeException e) {
            LOG.error("{}: trust policy failed on {}", id.shortForm(), what, e);
            return TrustDecision.refuse("trust policy failed");
        }
    }

    // ---------------------------------------------------------------- transports and dialling

    private Transport transportFor(String schemeName) {
        Transport t = transports.get(schemeName);
        if (t == null && !shutDown && !unsupportedSchemes.contains(schemeName)) {
            TransportProvider best = null;
            for (TransportProvider p : Plugins.all(TransportProvider.class)) {
                if (p.schemes().contains(schemeName) && (best == null || p.priority() > best.priority())) {
                    best = p;
                }
            }
            if (best != null) {
                t = best.create(config.transportOptions());
                for (String s : t.schemes()) {
                    transports.putIfAbsent(s, t);
                }
            } else if (unsupportedSchemes.size() < 64) {
                // Peers may advertise any scheme; remember misses instead of rescanning providers.
                unsupportedSchemes.add(schemeName);
            }
        }
        return t;
    }

    private void dial(Endpoint endpoint, CompletableFuture<NodeId> result) {
        dial(endpoint, result, false);
    }

    /**
     * Dials {@code endpoint}; {@code adopting} marks a dial that takes in a newcomer at the end of its
     * join walk, whose link may make room if this node is full by the time it is up.
     */
    private void dial(Endpoint endpoint, CompletableFuture<NodeId> result, boolean adopting) {
        Transport t = transportFor(endpoint.scheme());
        if (t == null) {
            candidates.forget(endpoint);
            if (result != null) {
                result.completeExceptionally(new MeshException(ErrorCode.MISSING_PROVIDER,
                        "no transport for scheme " + endpoint.scheme()));
            }
            return;
        }
        dialing.merge(endpoint, 1, Integer::sum);
        dialsInFlight++;
        CompletableFuture<Connection> opened;
        try {
            opened = t.dial(endpoint, new LinkHandler(endpoint, result, adopting));
        } catch (RuntimeException e) {
            opened = CompletableFuture.failedFuture(e);
        }
        opened.whenComplete((c, err) -> {
            if (err != null) {
                runtime.execute(() -> dialFailed(endpoint, err, result));
            }
        });
    }

    private void dialEnded(Endpoint endpoint) {
        dialing.computeIfPresent(endpoint, (e, n) -> n > 1 ? n - 1 : null);
        dialsInFlight--;
    }

    private void dialFailed(Endpoint endpoint, Throwable err, CompletableFuture<NodeId> result) {
        dialEnded(endpoint);
        linkFailed(endpoint, err, result);
    }

    /** Counts a failed attempt to link with {@code endpoint} and fails the caller's future. */
    private void linkFailed(Endpoint endpoint, Throwable err, CompletableFuture<NodeId> result) {
        Throwable cause = err.getCause() != null && !(err instanceof MeshException) ? err.getCause() : err;
        CandidateBook.Candidate known = candidates.get(endpoint);
        String source = known == null ? "?" : known.source();
        long retryIn = candidates.failed(endpoint, runtime.monotonicMillis(), runtime.random());
        LOG.debug("{}: dial {} (learned from {}) failed: {} ({})", id.shortForm(), endpoint, source,
                cause.getMessage(), retryIn < 0 ? "forgotten" : "retry in " + retryIn + " ms");
        if (result != null) {
            result.completeExceptionally(cause instanceof MeshException ? cause
                    : new MeshException(ErrorCode.CONNECT_FAILED, "cannot reach " + endpoint + ": " + cause, cause));
        }
    }

    /** Dials known endpoints while there is room for more neighbours. */
    private void maintain() {
        if (lifecycle.get() != Lifecycle.RUNNING) {
            return;
        }
        int room = Math.min(config.maxPeers() - committedLinks(), MAX_PARALLEL_DIALS - dialsInFlight);
        if (room <= 0) {
            return;
        }
        Set<Endpoint> linked = new HashSet<>();
        for (Session s : sessions.values()) {
            if (s.dialed != null) {
                linked.add(s.dialed);
            }
        }
        // Where the neighbours that dialled this node listen: a second link to them is only waste.
        // An endpoint a neighbour merely claims is spared for as long as that neighbour stays.
        for (Session n : neighbours.values()) {
            if (n.peerListen != null) {
                linked.add(n.peerListen);
            }
        }
        for (CandidateBook.Candidate c : candidates.dialable(runtime.monotonicMillis(), room,
                c -> dialing.containsKey(c.endpoint()) || linked.contains(c.endpoint())
                        || (c.verifiedId() != null && neighbours.containsKey(c.verifiedId())),
                runtime.random())) {
            // What peers told of is dialled a few at a time per peer, never all at once.
            if (!c.learned() || defences.mayDialLearned(c.source(), runtime.monotonicMillis())) {
                dial(c.endpoint(), null);
            }
        }
    }

    /**
     * Neighbours plus links on their way to becoming one. Counting the pending ones keeps a node
     * from welcoming more peers than it can keep, which would end in late refusals.
     */
    private int committedLinks() {
        int pending = dialsInFlight;
        for (Session s : sessions.values()) {
            if (s.state == Session.State.AWAIT_AUTH || s.state == Session.State.AWAIT_WELCOME) {
                pending++;
            }
        }
        return neighbours.size() + pending;
    }

    // ---------------------------------------------------------------- connection events

    /**
     * Receives one connection's transport callbacks. Records are opened and frames decoded on the
     * calling transport thread before the hop onto the event loop, so the loop only runs protocol logic.
     */
    private final class LinkHandler implements ConnectionHandler {
        private final Endpoint dialed;
        private final CompletableFuture<NodeId> result;
        private final boolean adopting;

        LinkHandler(Endpoint dialed, CompletableFuture<NodeId> result, boolean adopting) {
            this.dialed = dialed;
            this.result = result;
            this.adopting = adopting;
        }

        @Override
        public void onOpen(Connection connection) {
            LinkInbox inbox = new LinkInbox();
            live.put(connection, inbox);
            runtime.execute(() -> opened(connection, inbox, dialed, result, adopting));
        }

        @Override
        public void onFrame(Connection connection, byte[] bytes) {
            LinkInbox inbox = live.get(connection);
            if (inbox == null) {
                return; // closed by this node while the frame was on its way
            }
            boolean sealed = Records.isRecord(bytes);
            byte[] plain;
            try {
                plain = inbox.open(bytes);
            } catch (ChannelException e) {
                runtime.execute(() -> channelFailed(connection, e));
                return;
            }
            if (plain != null) {
                Runnable work = inbound(connection, inbox, plain, sealed);
                if (work != null) {
                    runtime.execute(work);
                }
            }
        }

        @Override
        public void onClose(Connection connection, int code, String reason, boolean remote) {
            runtime.execute(() -> closed(connection, code, reason));
        }
    }

    /**
     * What the event loop must do with one transport message (a frame or a bundle of frames), or
     * null if it was dropped. Runs on the transport thread, or on the loop for records that waited
     * for their keys.
     */
    private Runnable inbound(Connection connection, LinkInbox inbox, byte[] bytes, boolean sealed) {
        List<byte[]> parts;
        try {
            parts = codec.unbundle(bytes);
        } catch (FrameDecodeException e) {
            return () -> badFrame(connection, e.getMessage());
        }
        if (parts == null) {
            return receive(connection, inbox, bytes, sealed);
        }
        // One hand-off to the event loop for the whole bundle.
        List<Runnable> work = new ArrayList<>(parts.size());
        for (byte[] part : parts) {
            Runnable w = receive(connection, inbox, part, sealed);
            if (w != null) {
                work.add(w);
            }
        }
        return work.isEmpty() ? null : () -> work.forEach(w -> guard("frame handling", w));
    }

    /** Decodes one frame: what the loop must do with it, or null if dropped. */
    private Runnable receive(Connection connection, LinkInbox inbox, byte[] bytes, boolean sealed) {
        if (inflightFrames.incrementAndGet() > MAX_INFLIGHT_FRAMES) {
            inflightFrames.decrementAndGet();
            if (Long.bitCount(stats.dropped.incrementAndGet()) == 1) {
                LOG.warn("{}: event loop is {} frames behind; dropping frames ({} so far)", id.shortForm(),
                        MAX_INFLIGHT_FRAMES, stats.dropped.get());
            }
            return null;
        }
        // Most copies of a flooded message are duplicates: drop them before paying for decoding.
        MessageId hint = codec.peekMessageId(bytes);
        Session known = hint == null ? null : inbox.session;
        if (known != null && known.established && sealed == known.encrypted
                && replay.seen(hint)) {
            known.lastHeard = runtime.monotonicMillis(); // a duplicate is still a sign of life
            inflightFrames.decrementAndGet();
            stats.duplicates.incrementAndGet();
            if (dissemination.wantsDuplicates() && known.queueDuplicate(hint)) {
                runtime.execute(() -> {
                    for (MessageId dup : known.takeDuplicates()) {
                        if (neighbours.get(known.peerId) == known) {
                            dissemination.duplicate(known.peerId, dup, null);
                        }
                    }
                });
            }
            return null;
        }
        Frame frame;
        Inbound prepared;
        try {
            frame = codec.decode(bytes);
            prepared = frame instanceof Frame.Publish ? Inbound.of((Frame.Publish) frame) : null;
        } catch (FrameDecodeException e) {
            inflightFrames.decrementAndGet();
            return () -> badFrame(connection, e.getMessage());
        }
        return () -> {
            inflightFrames.decrementAndGet();
            dispatch(connection, frame, prepared, sealed);
        };
    }

    /** A publish frame's signed bytes and id, computed off the event loop. */
    private record Inbound(byte[] signed, MessageId id) {
        static Inbound of(Frame.Publish p) throws FrameDecodeException {
            Envelope e = p.envelope();
            // The signed layout stores the type's length in 16 bits: only short types are unambiguous.
            if (!MessageTypes.valid(e.type())) {
                throw new FrameDecodeException(FrameDecodeException.Problem.INVALID_FIELD, "bad message type");
            }
            byte[] signed = EnvelopeSigning.signedBytes(e);
            MessageId id = EnvelopeSigning.messageId(signed);
            if (p.id() != null && !p.id().equals(id)) {
                throw new FrameDecodeException(FrameDecodeException.Problem.INVALID_FIELD,
                        "message id hint does not match the message");
            }
            return new Inbound(signed, id);
        }
    }

    private void opened(Connection c, LinkInbox inbox, Endpoint dialed, CompletableFuture<NodeId> result,
                        boolean adopting) {
        if (dialed != null) {
            dialEnded(dialed);
        }
        if (lifecycle.get() != Lifecycle.RUNNING) {
            if (result != null) {
                result.completeExceptionally(notRunning());
            }
            c.close(1001, "shutdown");
            return;
        }
        if (dialed == null) {
            TrustDecision d = decide("connection", () -> trust.admitConnection(c.remoteAddress(), true));
            if (!d.allowed()) {
                LOG.info("{}: connection from {} refused by policy: {}", id.shortForm(), c.remoteAddress(), d.reason());
                c.close(1008, d.reason());
                return;
            }
            if (sessions.size() - neighbours.size() >= handshakeSlots()) {
                c.close(1013, "too many handshakes");
                return;
            }
            RemoteAddress from = RemoteAddress.parse(c.remoteAddress());
            RateLimiter.Verdict v = defences.connection(from, runtime.monotonicMillis());
            if (v != RateLimiter.Verdict.ALLOWED) {
                limited("connection from " + from.host(), v);
                c.close(v == RateLimiter.Verdict.BANNED ? RefusalReason.BANNED.closeCode()
                        : RefusalReason.RATE_LIMITED.closeCode(), v == RateLimiter.Verdict.BANNED ? "banned" : "rate-limited");
                return;
            }
        }
        Session s = new Session(c, inbox, dialed, result, runtime.monotonicMillis());
        s.limited = defences.applies(s.address);
        s.adopting = adopting;
        sessions.put(c, s);
        inbox.session = s;
        s.handshakeTimer = runtime.schedule(config.handshakeTimeout().toMillis(), () -> {
            if (sessions.get(c) == s && s.state != Session.State.ESTABLISHED) {
                refuse(s, RefusalReason.TIMEOUT, "handshake took longer than " + config.handshakeTimeout());
            }
        });
        if (s.outbound) {
            s.localChallenge = challenge();
            if (!channelSuites.plaintext()) {
                s.offer = channelSuites.offer();
                s.channelOffer = s.offer.bytes();
            }
            Endpoint listen = advertised();
            int links = linksToClaim(s);
            s.helloHints = HandshakeProofs.helloHints(listen, links);
            send(s, codec.encode(new Frame.Hello(PROTOCOL_VERSION, config.network(), scheme.name(),
                    keys.publicKey(), s.localChallenge, listen, links, s.channelOffer)));
        }
    }

    /**
     * What this node tells a listener about its links. Fewer than {@value #NEEDY_BELOW} makes a full
     * listener displace a neighbour, so such a count is said on one dial at a time, and not for a
     * while after this node was itself displaced (so displacement cannot chase itself around the mesh).
     */
    private int linksToClaim(Session s) {
        if (neighbours.size() >= NEEDY_BELOW) {
            return neighbours.size();
        }
        if (needyClaim == null && runtime.monotonicMillis() - displacedAt >= DISPLACED_QUIET_MILLIS) {
            needyClaim = s;
            return neighbours.size();
        }
        return -1;
    }

    private Endpoint advertised() {
        return endpoints.isEmpty() ? null : endpoints.get(0);
    }

    private byte[] challenge() {
        byte[] b = new byte[CHALLENGE_BYTES];
        secureRandom.nextBytes(b);
        return b;
    }

    private void badFrame(Connection c, String problem) {
        stats.badFrames.incrementAndGet();
        Session s = sessions.get(c);
        if (s == null) {
            return;
        }
        if (s.state != Session.State.ESTABLISHED) {
            refuse(s, RefusalReason.PROTOCOL_ERROR, "bad handshake frame: " + problem);
            return;
        }
        if (s.countBadFrame()) {
            LOG.warn("{}: dropped bad frame #{} from {}: {}", id.shortForm(), s.badFrames, s.describe(), problem);
        }
        penalise(s, Fault.BEHAVIOUR, "sent bad frames");
    }

    private void dispatch(Connection c, Frame frame, Inbound prepared, boolean sealed) {
        Session s = sessions.get(c);
        if (s == null) {
            return;
        }
        // Before the peer's first record a plaintext refusal may still come: the peer may refuse
        // the keys it could not confirm. Anything else unsealed on an encrypted link is an injection.
        if (s.encrypted && !sealed && !(frame instanceof Frame.Refuse)) {
            channelFailed(c, new ChannelException(ChannelException.Problem.PLAINTEXT, "a plaintext " + frame.kind()
                    + " frame on an encrypted link"));
            return;
        }
        s.lastHeard = runtime.monotonicMillis();
        switch (s.state) {
            case AWAIT_HELLO:
                if (frame instanceof Frame.Hello) {
                    onHello(s, (Frame.Hello) frame);
                } else {
                    refuse(s, RefusalReason.PROTOCOL_ERROR, "expected hello, got " + frame.kind());
                }
                break;
            case AWAIT_WORK:
                if (frame instanceof Frame.Work) {
                    onWork(s, (Frame.Work) frame);
                } else {
                    refuse(s, RefusalReason.BAD_WORK, "expected work, got " + frame.kind());
                }
                break;
            case AWAIT_WELCOME:
                if (frame instanceof Frame.Welcome) {
                    onWelcome(s, (Frame.Welcome) frame);
                } else if (frame instanceof Frame.Puzzle) {
                    onPuzzle(s, (Frame.Puzzle) frame);
                } else if (frame instanceof Frame.Refuse) {
                    onRefused(s, (Frame.Refuse) frame);
                } else if (frame instanceof Frame.PeerList && !s.sharedBeforeRefusal) {
                    // A full listener shares its peers before refusing, so a newcomer can go elsewhere.
                    s.sharedBeforeRefusal = true;
                    learn(((Frame.PeerList) frame).peers(), "refusal by " + s.address.host(), s.address);
                } else {
                    refuse(s, RefusalReason.PROTOCOL_ERROR, "expected welcome, got " + frame.kind());
                }
                break;
            case AWAIT_AUTH:
                if (frame instanceof Frame.Auth) {
                    onAuth(s, (Frame.Auth) frame);
                } else if (frame instanceof Frame.Refuse) {
                    onRefused(s, (Frame.Refuse) frame);
                } else {
                    refuse(s, RefusalReason.PROTOCOL_ERROR, "expected auth, got " + frame.kind());
                }
                break;
            default:
                onLinkFrame(s, frame, prepared);
        }
    }

    private void closed(Connection c, int code, String reason) {
        Session s = sessions.remove(c);
        LinkInbox inbox = live.remove(c);
        if (inbox != null) {
            inbox.close();
        }
        if (s == null) {
            return;
        }
        s.eraseKeys();
        if (needyClaim == s) {
            needyClaim = null;
        }
        if (s.handshakeTimer != null) {
            s.handshakeTimer.cancel();
        }
        if (s.state != Session.State.ESTABLISHED) {
            if (s.outbound && s.closeReason == null) {
                linkFailed(s.dialed, new MeshException(ErrorCode.CONNECT_FAILED,
                        "closed during handshake: " + code + " " + reason), s.connected);
            } else if (s.connected != null) {
                s.connected.completeExceptionally(new MeshException(ErrorCode.CONNECT_FAILED,
                        "closed during handshake: " + code + " " + reason));
            }
            return;
        }
        if (neighbours.get(s.peerId) != s) {
            return; // a duplicate link that lost the tie-break
        }
        scores.disconnected(s.peerId, runtime.monotonicMillis());
        neighbours.remove(s.peerId);
        dissemination.linkDown(s.peerId);
        publishSnapshot();
        DisconnectReason why = s.closeReason != null ? s.closeReason
                : s.byeReason != null ? DisconnectReason.REMOTE_CLOSED
                : code == 1006 ? DisconnectReason.TRANSPORT_ERROR : DisconnectReason.REMOTE_CLOSED;
        String detail = s.closeDetail != null ? s.closeDetail : s.byeReason != null ? "bye: " + s.byeReason
                : code + " " + reason;
        LOG.info("{}: peer {} disconnected: {} ({})", id.shortForm(), s.describe(), why, detail);
        emit(new MeshEvent.PeerDisconnected(s.info, why, detail));
        planRedial(s, why);
        maintain();
    }

    /** What a neighbour can be penalised for. */
    private enum Fault { INVALID, BROKEN_PROMISE, BEHAVIOUR }

    /**
     * Lowers a neighbour's score for {@code fault}, and cuts it off once the score falls below the
     * disconnect threshold; {@code what} says why in the log.
     */
    private void penalise(Session s, Fault fault, String what) {
        if (s.state != Session.State.ESTABLISHED || s.peerId == null) {
            return;
        }
        switch (fault) {
            case INVALID:
                scores.invalidMessage(s.peerId);
                break;
            case BROKEN_PROMISE:
                scores.brokenPromise(s.peerId);
                break;
            default:
                scores.misbehaved(s.peerId);
                break;
        }
        if (defences.settings().enabled() && scores.belowDisconnect(s.peerId)) {
            misbehaved(s, what + " until its score fell to " + Math.round(scores.score(s.peerId)));
        }
    }

    /** The address a neighbour shares with others for the colocation penalty; none when exempt. */
    private String colocationKey(Session s) {
        return s.limited ? s.address.host() : null;
    }

    /** Decays the scores and publishes them for {@link #scores()}. */
    private void rescore() {
        long now = runtime.monotonicMillis();
        scores.decay(now);
        scoreSnapshot = List.copyOf(scores.snapshot(p -> defences.banned(p, now)));
    }

    /** Counts something a rate limit or ban refused, with a sampled log line. */
    private void limited(String what, RateLimiter.Verdict verdict) {
        long n = stats.rateLimited.incrementAndGet();
        if (Long.bitCount(n) == 1) {
            LOG.warn("{}: refused {}: {} ({} refused so far)", id.shortForm(), what,
                    verdict == RateLimiter.Verdict.BANNED ? "banned" : "over its rate", n);
        }
    }

    /** Cuts off a neighbour that broke the protocol, and refuses it for a while. */
    private void misbehaved(Session s, String detail) {
        if (s.state != Session.State.ESTABLISHED || s.closeReason != null) {
            return;
        }
        LOG.warn("{}: disconnecting {}: it {}", id.shortForm(), s.describe(), detail);
        defences.ban(s.peerId, runtime.monotonicMillis());
        s.closeReason = DisconnectReason.MISBEHAVED;
        s.closeDetail = detail;
        s.connection.close(1008, "misbehaved");
    }

    /**
     * Decides whether and when to dial a lost neighbour again. A link that lasted a keepalive
     * interval was working: its first redial counts no failure. A shorter one counts as a failed
     * dial, so a peer that accepts and drops every link soon runs out of attempts.
     */
    private void planRedial(Session s, DisconnectReason why) {
        Endpoint again = s.reachableAt();
        if (again == null || lifecycle.get() != Lifecycle.RUNNING || why == DisconnectReason.LOCAL_CLOSED) {
            return;
        }
        if (why == DisconnectReason.MISBEHAVED) {
            candidates.forget(again);
            return;
        }
        if ("shutdown".equals(s.byeReason)) {
            if (s.dialed != null) {
                candidates.forget(s.dialed); // it left on purpose; it will dial us if it returns
            }
            return;
        }
        candidates.offer(again, "reconnect");
        long now = runtime.monotonicMillis();
        boolean lasted = now - s.establishedAt >= config.keepalive().interval().toMillis();
        long delay = lasted && s.byeReason == null ? candidates.lost(again, now, runtime.random())
                : candidates.failed(again, now, runtime.random());
        if (delay >= 0) {
            runtime.schedule(delay + 1, this::maintain);
        }
    }

    // ---------------------------------------------------------------- handshake

    private void onHello(Session s, Frame.Hello h) {
        if (!checkIntroduction(s, h.version(), h.network(), h.scheme(), h.publicKey(), h.challenge())) {
            if (s.closeDetail != null && s.closeDetail.equals(RefusalReason.SELF_CONNECTION.wireName())) {
                rememberSelfChallenge(h.challenge());
            }
            return;
        }
        s.remoteChallenge = h.challenge();
        s.peerListen = h.listen();
        // A listener that keeps a single link gives it up only for a dialler with none.
        s.needy = h.links() >= 0 && h.links() < Math.min(NEEDY_BELOW, config.maxPeers());
        if (!neighbours.containsKey(s.peerId) && committedLinks() - ownDialsTo(h.listen()) >= config.maxPeers()
                && !(s.needy && mayDisplace())) {
            if (networkKey == null) {
                send(s, codec.encode(new Frame.PeerList(sharedPeers(s.peerId))));
            }
            refuse(s, RefusalReason.FULL, "this node has " + config.maxPeers() + " peers");
            return;
        }
        if (subnetFull(s)) {
            refuseSubnetFull(s); // before any work; checked again once the dialler has proven its id
            return;
        }
        if (!suitesMeet(s, h.channel())) {
            return;
        }
        // The cheap checks passed; before signing or agreeing keys, make the dialler pay.
        int bits = puzzleBits(s);
        if (bits > 0) {
            s.puzzledHello = h;
            s.puzzleSeed = new byte[Puzzle.SEED_BYTES];
            secureRandom.nextBytes(s.puzzleSeed);
            s.puzzleBits = bits;
            s.state = Session.State.AWAIT_WORK;
            send(s, codec.encode(new Frame.Puzzle(s.puzzleSeed, bits)));
            return;
        }
        welcome(s, h);
    }

    /**
     * Proof of work asked of a dialler: none from exempt addresses or with the defences off, else
     * rising with the handshakes under way, and more from a peer whose score makes it suspicious.
     */
    private int puzzleBits(Session s) {
        if (!s.limited) {
            return 0;
        }
        DefenceSettings d = defences.settings();
        int others = sessions.size() - neighbours.size() - 1; // handshakes under way besides this one
        return Puzzle.bits(d.puzzleMinBits(), d.puzzleMaxBits(), others, handshakeSlots(), scores.belowGossip(s.peerId));
    }

    private int handshakeSlots() {
        return 2 * config.maxPeers() + MAX_PARALLEL_DIALS;
    }

    private void onWork(Session s, Frame.Work w) {
        Frame.Hello h = s.puzzledHello;
        s.puzzledHello = null;
        if (!Puzzle.solved(s.puzzleSeed, h.challenge(), s.peerId, w.nonce(), s.puzzleBits)) {
            refuse(s, RefusalReason.BAD_WORK, "the work does not answer the puzzle");
            return;
        }
        welcome(s, h);
    }

    /**
     * Solves a listener's puzzle on a worker and sends the answer, unless it asks more than this node
     * gives or the link is gone by then.
     */
    private void onPuzzle(Session s, Frame.Puzzle p) {
        int most = config.defences().puzzleMaxBits();
        if (s.solving || p.seed().length != Puzzle.SEED_BYTES || p.bits() > most) {
            refuse(s, RefusalReason.BAD_WORK, s.solving ? "a second puzzle" : "a puzzle of " + p.bits()
                    + " bits and " + p.seed().length + " seed bytes; this node solves up to " + most + " bits");
            return;
        }
        s.solving = true;
        byte[] challenge = s.localChallenge;
        try {
            runtime.workers().execute(() -> {
                byte[] nonce = Puzzle.solve(p.seed(), challenge, id, p.bits(), () -> !s.connection.isOpen());
                if (nonce != null) {
                    runtime.execute(() -> {
                        if (sessions.get(s.connection) == s && s.state == Session.State.AWAIT_WELCOME) {
                            send(s, codec.encode(new Frame.Work(nonce)));
                        }
                    });
                }
            });
        } catch (RejectedExecutionException e) {
            refuse(s, RefusalReason.TIMEOUT, "no worker free to solve the puzzle");
        }
    }

    /** Answers a hello whose dialler passed every check (and solved its puzzle, if it had one). */
    private void welcome(Session s, Frame.Hello h) {
        ChannelSuites.Agreement agreed = null;
        if (h.channel() != null) {
            try {
                agreed = channelSuites.answer(h.channel());
            } catch (SuiteRefusedException e) {
                refuse(s, e.reason(), e.getMessage());
                return;
            }
        }
        s.localChallenge = challenge();
        Endpoint listen = advertised();
        // With a network key, the peers this node knows are for nodes that proved they hold it.
        List<PeerRecord> shared = networkKey == null ? sharedPeers(s.peerId) : List.of();
        s.transcript = HandshakeProofs.transcriptHash(config.network(), PROTOCOL_VERSION, s.remoteChallenge, s.peerId,
                id, s.localChallenge, h.channel(), agreed == null ? null : agreed.answer(),
                HandshakeProofs.helloHints(h.listen(), h.links()), HandshakeProofs.welcomeHints(listen, shared));
        byte[] proof = signer.sign(HandshakeProofs.welcome(s.transcript));
        byte[] channel = null;
        if (agreed != null) {
            s.linkKeys = KeySchedule.derive(agreed.secret(), networkKey, s.transcript);
            agreed.erase();
            s.suite = agreed.suite();
            s.inbox.expectKeys();
            channel = concat(agreed.answer(), s.linkKeys.confirmation(false));
        }
        s.state = Session.State.AWAIT_AUTH;
        send(s, codec.encode(new Frame.Welcome(PROTOCOL_VERSION, config.network(), scheme.name(), keys.publicKey(),
                s.localChallenge, proof, listen, shared, channel)));
    }

    /** Refuses a peer that wants plaintext when this node encrypts, or the other way round. */
    private boolean suitesMeet(Session s, byte[] channel) {
        if (channelSuites.plaintext() == (channel == null)) {
            return true;
        }
        refuse(s, RefusalReason.UNSUPPORTED_SUITE, channelSuites.plaintext()
                ? "this node's links are plaintext" : "this node encrypts its links with one of "
                + channelSuites.names());
        return false;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    // When both ends dial each other at once, this node's own dial must not make it refuse the other.
    private int ownDialsTo(Endpoint listen) {
        if (listen == null) {
            return 0;
        }
        int n = dialing.getOrDefault(listen, 0);
        for (Session o : sessions.values()) {
            if (listen.equals(o.dialed) && o.state == Session.State.AWAIT_WELCOME) {
                n++;
            }
        }
        return n;
    }

    private void rememberSelfChallenge(byte[] challenge) {
        selfChallenges.add(Arrays.toString(challenge));
        if (selfChallenges.size() > MAX_SELF_CHALLENGES) {
            Iterator<String> it = selfChallenges.iterator();
            it.next();
            it.remove();
        }
    }

    private void onWelcome(Session s, Frame.Welcome w) {
        if (!checkIntroduction(s, w.version(), w.network(), w.scheme(), w.publicKey(), w.challenge())) {
            return;
        }
        if (!suitesMeet(s, w.channel())) {
            return;
        }
        byte[] answer = null;
        byte[] confirmation = null;
        if (w.channel() != null) {
            if (w.channel().length <= CONFIRMATION_BYTES) {
                refuse(s, RefusalReason.PROTOCOL_ERROR, "welcome channel bytes too short");
                return;
            }
            answer = Arrays.copyOf(w.channel(), w.channel().length - CONFIRMATION_BYTES);
            confirmation = Arrays.copyOfRange(w.channel(), answer.length, w.channel().length);
        }
        byte[] transcript = HandshakeProofs.transcriptHash(config.network(), PROTOCOL_VERSION, s.localChallenge, id,
                s.peerId, w.challenge(), s.channelOffer, answer, s.helloHints,
                HandshakeProofs.welcomeHints(w.listen(), w.peers()));
        if (!s.peerVerifier.verify(HandshakeProofs.welcome(transcript), w.proof())) {
            refuse(s, RefusalReason.BAD_PROOF, "welcome proof does not verify");
            return;
        }
        if (answer != null) {
            ChannelSuites.Agreement agreed;
            try {
                agreed = s.offer.finish(answer);
            } catch (SuiteRefusedException e) {
                refuse(s, e.reason(), e.getMessage());
                return;
            }
            s.offer = null;
            s.inbox.expectKeys();
            s.linkKeys = KeySchedule.derive(agreed.secret(), networkKey, transcript);
            agreed.erase();
            s.suite = agreed.suite();
            if (!s.linkKeys.confirms(false, confirmation)) {
                refuse(s, RefusalReason.NETWORK_KEY_MISMATCH, "the listener's key confirmation does not match:"
                        + " the two nodes hold different network keys");
                return;
            }
        }
        s.remoteChallenge = w.challenge();
        s.peerListen = w.listen();
        // Decide before proving ourselves: a refusal now ends the handshake on both sides, where a
        // refusal after the auth would end a link the listener already counts as up.
        if (!admissible(s)) {
            return;
        }
        byte[] proof = signer.sign(HandshakeProofs.auth(transcript));
        send(s, codec.encode(new Frame.Auth(proof, s.linkKeys == null ? null : s.linkKeys.confirmation(true))));
        List<byte[]> early = secure(s);
        if (early == null) {
            return;
        }
        establish(s);
        receiveEarly(s, early);
        learn(w.peers(), s.peerId.shortForm(), s.address);
        maintain();
    }

    private void onAuth(Session s, Frame.Auth a) {
        if (!s.peerVerifier.verify(HandshakeProofs.auth(s.transcript), a.proof())) {
            refuse(s, RefusalReason.BAD_PROOF, "auth proof does not verify");
            return;
        }
        if (s.linkKeys == null && a.channel() != null) {
            refuse(s, RefusalReason.PROTOCOL_ERROR, "key confirmation on a plaintext link");
            return;
        }
        if (s.linkKeys != null && a.channel() == null) {
            refuse(s, RefusalReason.PROTOCOL_ERROR, "no key confirmation in the auth");
            return;
        }
        if (s.linkKeys != null && !s.linkKeys.confirms(true, a.channel())) {
            refuse(s, RefusalReason.NETWORK_KEY_MISMATCH, "the dialler's key confirmation does not match:"
                    + " the two nodes hold different network keys");
            return;
        }
        // Keys first, so that a refusal by policy or capacity already travels sealed.
        List<byte[]> early = secure(s);
        if (early != null && admissible(s)) {
            establish(s);
            receiveEarly(s, early);
        }
    }

    /**
     * Switches a link to records once its keys are confirmed: from now on every frame this node
     * sends is sealed, and records are opened as they arrive. Returns the plaintexts of records
     * that came before the keys were installed, or null if one of them failed (the link is closed).
     * A plaintext link has nothing to switch.
     */
    private List<byte[]> secure(Session s) {
        if (s.linkKeys == null) {
            return List.of();
        }
        s.sealer = s.linkKeys.sealer(s.outbound, config.channel(), runtime::monotonicMillis);
        s.encrypted = true;
        try {
            return s.inbox.install(s.linkKeys.opener(s.outbound));
        } catch (ChannelException e) {
            channelFailed(s.connection, e);
            return null;
        } finally {
            s.linkKeys.erase();
            s.linkKeys = null;
        }
    }

    /** Handles the frames of records that waited for the keys, as if they had just arrived. */
    private void receiveEarly(Session s, List<byte[]> early) {
        for (byte[] plain : early) {
            Runnable work = inbound(s.connection, s.inbox, plain, true);
            if (work != null) {
                work.run();
            }
        }
    }

    /** A record failed or an unsealed frame came on an encrypted link: the link cannot be trusted. */
    private void channelFailed(Connection c, ChannelException e) {
        stats.badFrames.incrementAndGet();
        Session s = sessions.get(c);
        if (s == null) {
            return;
        }
        LOG.warn("{}: closing the link to {}: channel {}: {}", id.shortForm(), s.describe(),
                e.problem().name().toLowerCase(java.util.Locale.ROOT), e.getMessage());
        if (s.state != Session.State.ESTABLISHED) {
            refuse(s, RefusalReason.PROTOCOL_ERROR, "channel " + e.problem() + ": " + e.getMessage());
            return;
        }
        // Not LOCAL_CLOSED: that would never redial, so one injected byte could cut a neighbour off for
        // good. Like a broken transport, the link is redialled with backoff.
        s.closeReason = DisconnectReason.TRANSPORT_ERROR;
        s.closeDetail = "channel " + e.problem().name().toLowerCase(java.util.Locale.ROOT);
        s.connection.close(1008, s.closeDetail);
    }

    /**
     * Checks what both hello and welcome introduce: version, network, scheme, key and challenge.
     * Records the peer's id and key; refuses and returns false when a check fails.
     */
    private boolean checkIntroduction(Session s, int version, String network, String peerScheme, byte[] publicKey,
                                      byte[] peerChallenge) {
        if (version != PROTOCOL_VERSION) {
            refuse(s, RefusalReason.VERSION_MISMATCH, "this node speaks version " + PROTOCOL_VERSION);
            return false;
        }
        if (!config.network().equals(network)) {
            refuse(s, RefusalReason.NETWORK_MISMATCH, "this node is on network " + config.network());
            return false;
        }
        if (!scheme.name().equals(peerScheme)) {
            refuse(s, RefusalReason.UNSUPPORTED_SCHEME, "this network uses " + scheme.name());
            return false;
        }
        if (peerChallenge == null || peerChallenge.length != CHALLENGE_BYTES) {
            refuse(s, RefusalReason.PROTOCOL_ERROR, "challenge must be " + CHALLENGE_BYTES + " bytes");
            return false;
        }
        NodeId peer = NodeId.ofPublicKey(publicKey);
        if (peer.equals(id)) {
            refuse(s, RefusalReason.SELF_CONNECTION, "that is this node");
            return false;
        }
        // Before any signature or key agreement: a banned or hasty node costs no more than its hello.
        long now = runtime.monotonicMillis();
        RateLimiter.Verdict v = s.outbound ? (defences.banned(peer, now) ? RateLimiter.Verdict.BANNED
                : RateLimiter.Verdict.ALLOWED) : defences.handshake(s.address, peer, now);
        if (v != RateLimiter.Verdict.ALLOWED) {
            limited("handshake from " + peer.shortForm() + " at " + s.address.host(), v);
            if (v == RateLimiter.Verdict.BANNED) {
                refuse(s, RefusalReason.BANNED, "this node is refused for a while");
            } else {
                refuse(s, RefusalReason.RATE_LIMITED, "too many handshakes; try again later");
            }
            return false;
        }
        try {
            s.peerVerifier = scheme.verifier(publicKey);
        } catch (IllegalArgumentException e) {
            refuse(s, RefusalReason.PROTOCOL_ERROR, "malformed public key");
            return false;
        }
        s.peerId = peer;
        return true;
    }

    private void onRefused(Session s, Frame.Refuse r) {
        RefusalReason reason = RefusalReason.fromWire(r.reason());
        s.closeReason = DisconnectReason.REMOTE_CLOSED;
        if (reason == RefusalReason.SELF_CONNECTION && s.localChallenge != null
                && selfChallenges.remove(Arrays.toString(s.localChallenge))) {
            // Our own hello came back to us: this endpoint is an alias of this node.
            self.addLearned(s.dialed);
        }
        handshakeEnded(s, reason, r.detail(), true);
        s.connection.close(reason.closeCode(), reason.wireName());
    }

    private void refuse(Session s, RefusalReason reason, String detail) {
        s.closeReason = DisconnectReason.LOCAL_CLOSED;
        s.closeDetail = reason.wireName();
        send(s, codec.encode(new Frame.Refuse(reason.wireName(), detail)));
        handshakeEnded(s, reason, detail, false);
        s.connection.close(reason.closeCode(), reason.wireName());
    }

    // What every refused handshake does, whichever side refused: log, event, dial history, future.
    private void handshakeEnded(Session s, RefusalReason reason, String detail, boolean byRemote) {
        LOG.info("{}: handshake with {} refused by {}: {} ({})", id.shortForm(), s.describe(),
                byRemote ? "the peer" : "this node", reason.wireName(), detail);
        emit(new MeshEvent.HandshakeRefused(s.dialed != null ? s.dialed.toString() : s.connection.remoteAddress(),
                reason, detail, byRemote));
        if (s.dialed != null) {
            if (reason == RefusalReason.SELF_CONNECTION || reason == RefusalReason.NETWORK_MISMATCH
                    || reason == RefusalReason.VERSION_MISMATCH || reason == RefusalReason.UNSUPPORTED_SCHEME) {
                candidates.forget(s.dialed); // no retry can change the answer
            } else {
                candidates.failed(s.dialed, runtime.monotonicMillis(), runtime.random());
            }
        }
        if (s.connected != null) {
            s.connected.completeExceptionally(new HandshakeRefusedException(reason, detail));
        }
    }

    /** The trust policy's and capacity's say on a proven peer; refuses it and returns false if not. */
    private boolean admissible(Session s) {
        s.info = new PeerInfo(s.peerId, s.peerListen, s.connection.remoteAddress(), !s.outbound,
                runtime.nowMillis(), s.suite == null ? ChannelSettings.PLAINTEXT : s.suite);
        TrustDecision d = decide("peer", () -> trust.admitPeer(s.info));
        if (!d.allowed()) {
            refuse(s, RefusalReason.POLICY, d.reason());
            return false;
        }
        if (subnetFull(s)) {
            refuseSubnetFull(s);
            return false;
        }
        if (!neighbours.containsKey(s.peerId) && neighbours.size() >= config.maxPeers()) {
            if ((s.outbound ? s.adopting : s.needy) && mayDisplace() && displaceOne()) {
                LOG.debug("{}: made room for {}", id.shortForm(), s.describe());
            } else {
                refuse(s, RefusalReason.FULL, "this node has " + config.maxPeers() + " peers");
                return false;
            }
        }
        return true;
    }

    /**
     * True if the neighbours linked the same way as {@code s} (inbound or outbound) already fill its
     * subnet's share, so one operator's block of addresses cannot surround this node. A second link
     * from a neighbour is judged like a first one: it may replace the first, and were it let in
     * freely, a peer could turn each link this node dialled into one it dialled, and so free this
     * node's outbound share for more of its subnet.
     */
    private boolean subnetFull(Session s) {
        if (!s.limited) {
            return false;
        }
        String subnet = defences.subnet(s.address);
        int same = 0;
        for (Session n : neighbours.values()) {
            if (n.outbound == s.outbound && n.limited && !n.peerId.equals(s.peerId)
                    && subnet.equals(defences.subnet(n.address))) {
                same++;
            }
        }
        return same >= defences.settings().maxPeersPerSubnet();
    }

    private void refuseSubnetFull(Session s) {
        refuse(s, RefusalReason.SUBNET_FULL, "this node has " + defences.settings().maxPeersPerSubnet() + " "
                + (s.outbound ? "outbound" : "inbound") + " peers in " + defences.subnet(s.address));
    }

    /**
     * Whether a full node may drop a neighbour to take in a needy dialler. Without this,
     * the first {@code maxPeers + 1} nodes can fill each other up and every later node is refused
     * everywhere. At most once per maintenance period; which link goes is {@link #displaceOne}'s rule.
     */
    private boolean mayDisplace() {
        return !neighbours.isEmpty() && runtime.monotonicMillis() - lastDisplacement >= MAINTENANCE_MILLIS;
    }

    /**
     * Drops the youngest inbound neighbour to make room; false if there is none. Long-lived links and
     * the links this node chose itself are never the ones to go, so a stream of newcomers (or of
     * fake ones) only ever displaces each other.
     */
    private boolean displaceOne() {
        Session victim = null;
        for (Session n : neighbours.values()) {
            if (!n.outbound && (victim == null || n.establishedAt > victim.establishedAt)) {
                victim = n;
            }
        }
        if (victim == null) {
            return false;
        }
        lastDisplacement = runtime.monotonicMillis();
        LOG.info("{}: dropping {} to make room for a newcomer", id.shortForm(), victim.describe());
        victim.closeReason = DisconnectReason.LOCAL_CLOSED;
        victim.closeDetail = "displaced";
        send(victim, codec.encode(new Frame.Bye("displaced")));
        victim.connection.close(1000, "displaced");
        neighbours.remove(victim.peerId);
        publishSnapshot();
        emit(new MeshEvent.PeerDisconnected(victim.info, DisconnectReason.LOCAL_CLOSED, "displaced"));
        return true;
    }


    private void establish(Session s) {
        PeerInfo info = s.info;
        Session existing = neighbours.get(s.peerId);
        if (s.handshakeTimer != null) {
            s.handshakeTimer.cancel();
        }
        s.state = Session.State.ESTABLISHED;
        s.established = true;
        s.establishedAt = runtime.monotonicMillis();
        if (needyClaim == s) {
            needyClaim = null;
        }
        if (s.dialed != null) {
            candidates.verified(s.dialed, s.peerId);
        }
        if (existing != null) {
            // Both ends apply the same rule, so they keep the same link: the one dialled by the
            // smaller node id, and between two links of one dialler, the one with the smaller challenge.
            if (preferred(s, existing)) {
                // The neighbour is as old as its first link: age drives displacement and redials.
                s.establishedAt = existing.establishedAt;
                s.info = new PeerInfo(s.peerId, s.peerListen, s.connection.remoteAddress(), !s.outbound,
                        existing.info.connectedAt(), s.info.suite());
                neighbours.put(s.peerId, s);
                scores.connected(s.peerId, colocationKey(s));
                publishSnapshot();
                retire(existing);
            } else {
                retire(s);
            }
            if (s.connected != null) {
                s.connected.complete(s.peerId);
            }
            return;
        }
        neighbours.put(s.peerId, s);
        scores.connected(s.peerId, colocationKey(s));
        dissemination.linkUp(s.peerId);
        publishSnapshot();
        LOG.info("{}: peer {} connected ({})", id.shortForm(), s.describe(), s.outbound ? "outbound" : "inbound");
        emit(new MeshEvent.PeerConnected(info));
        if (s.connected != null) {
            s.connected.complete(s.peerId);
        }
        introduce(s);
        announceJoin(s);
    }

    private boolean preferred(Session a, Session b) {
        int c = a.dialer(id).compareTo(b.dialer(id));
        if (c != 0) {
            return c < 0;
        }
        return Arrays.compareUnsigned(a.dialerChallenge(), b.dialerChallenge()) < 0;
    }

    private void retire(Session s) {
        s.closeReason = DisconnectReason.LOCAL_CLOSED;
        send(s, codec.encode(new Frame.Bye("duplicate")));
        s.connection.close(1000, "duplicate");
    }

    // ---------------------------------------------------------------- established links

    private void onLinkFrame(Session s, Frame frame, Inbound prepared) {
        RateLimiter.Verdict v = s.limited ? defences.frame(s.peerId, runtime.monotonicMillis())
                : RateLimiter.Verdict.ALLOWED;
        if (v != RateLimiter.Verdict.ALLOWED) {
            limited(frame.kind() + " frame from " + s.describe(), v);
            if (v == RateLimiter.Verdict.BANNED) {
                misbehaved(s, "sent frames faster than " + defences.settings().frames().perSecond()
                        + " a second for too long");
            }
            return;
        }
        boolean keepalive = frame instanceof Frame.Ping || frame instanceof Frame.Pong || frame instanceof Frame.Bye
                || frame instanceof Frame.Refuse;
        if (!keepalive && defences.settings().enabled() && scores.belowAccept(s.peerId)) {
            stats.refusedByPolicy.incrementAndGet();
            return; // graylisted: its score says nothing it sends is worth the work
        }
        if (frame instanceof Frame.Publish) {
            onPublish(s, ((Frame.Publish) frame).envelope(), prepared);
        } else if (frame instanceof Frame.IHave || frame instanceof Frame.Graft || frame instanceof Frame.Prune) {
            if (defences.settings().enabled() && scores.belowGossip(s.peerId)) {
                stats.refusedByPolicy.incrementAndGet();
            } else if (admit(s, MessageClass.BROADCAST)) {
                dissemination.control(s.peerId, frame);
            }
        } else if (frame instanceof Frame.Ping) {
            send(s, codec.encode(new Frame.Pong(((Frame.Ping) frame).nonce())));
        } else if (frame instanceof Frame.Pong) {
            return; // lastHeard is already updated
        } else if (frame instanceof Frame.PeerRequest) {
            if (admit(s, MessageClass.PEER_EXCHANGE)) {
                send(s, codec.encode(new Frame.PeerList(sharedPeers(s.peerId))));
            }
        } else if (frame instanceof Frame.PeerList) {
            if (admit(s, MessageClass.PEER_EXCHANGE)) {
                learn(((Frame.PeerList) frame).peers(), s.peerId.shortForm(), s.address);
                maintain();
            }
        } else if (frame instanceof Frame.Join j) {
            if (admit(s, MessageClass.PEER_EXCHANGE)) {
                onJoin(s, j);
            }
        } else if (frame instanceof Frame.Bye) {
            s.byeReason = ((Frame.Bye) frame).reason();
            if ("displaced".equals(s.byeReason)) {
                displacedAt = runtime.monotonicMillis();
            }
        } else if (frame instanceof Frame.Refuse) {
            // The dialler counts a link as up once it sent its auth; the listener may still refuse
            // it (full, policy). That ends the link like a goodbye, it is no protocol error.
            Frame.Refuse r = (Frame.Refuse) frame;
            LOG.info("{}: {} refused the link after the handshake: {} ({})", id.shortForm(), s.describe(), r.reason(),
                    r.detail());
            s.byeReason = "refused: " + r.reason();
            s.connection.close(1000, "refused");
        } else {
            stats.badFrames.incrementAndGet();
            if (s.countBadFrame()) {
                LOG.warn("{}: dropped {} frame #{} from established peer {}", id.shortForm(), frame.kind(),
                        s.badFrames, s.describe());
            }
            penalise(s, Fault.BEHAVIOUR, "sent frames out of place");
        }
    }

    private boolean admit(Session s, MessageClass cls) {
        TrustDecision d = decide(cls + " message", () -> trust.admitMessage(s.info, cls));
        if (!d.allowed()) {
            stats.refusedByPolicy.incrementAndGet();
            LOG.debug("{}: {} message from {} refused: {}", id.shortForm(), cls, s.describe(), d.reason());
        }
        return d.allowed();
    }

    private List<PeerRecord> sharedPeers(NodeId except) {
        List<PeerRecord> out = new ArrayList<>();
        for (Session n : neighbours.values()) {
            if (n.peerListen != null && !n.peerId.equals(except)) {
                out.add(new PeerRecord(n.peerId, n.peerListen));
                if (out.size() >= Math.min(MAX_PEERS_SHARED, config.frameLimits().maxArrayLength())) {
                    break;
                }
            }
        }
        return out;
    }

    /**
     * Takes endpoints a peer at {@code teller} told of: only those it may point this node at (see
     * {@link dev.meshkit.core.defence.DialScope}), and no more than its share of the candidate book.
     */
    private void learn(List<PeerRecord> peers, String source, RemoteAddress teller) {
        int taken = 0;
        int refused = 0;
        for (PeerRecord p : peers) {
            if (taken >= MAX_PEERS_SHARED) {
                break;
            }
            if (id.equals(p.id())) {
                continue;
            }
            if (!defences.mayDial(p.endpoint(), teller)) {
                refused++;
            } else if (candidates.offerLearned(p.endpoint(), source)) {
                taken++;
            }
        }
        long total = refused == 0 ? 0 : stats.refusedEndpoints.addAndGet(refused);
        if (refused > 0 && Long.numberOfLeadingZeros(total) != Long.numberOfLeadingZeros(total - refused)) {
            LOG.warn("{}: ignored {} endpoints {} at {} told of, more local than itself ({} so far)", id.shortForm(),
                    refused, source, teller.host(), stats.refusedEndpoints.get());
        }
    }

    // Tells the other neighbours about a new one, so small meshes become complete within one round trip.
    private void introduce(Session s) {
        if (s.peerListen == null) {
            return;
        }
        byte[] frame = codec.encode(new Frame.PeerList(List.of(new PeerRecord(s.peerId, s.peerListen))));
        for (Session n : neighbours.values()) {
            if (n != s) {
                send(n, frame);
            }
        }
    }

    /**
     * Once per start, on this node's first link: asks that neighbour to send join walks out through
     * all of its own, so nodes anywhere in the mesh link to this one, not only the joining point's
     * neighbourhood. A node that lost its links and finds new ones does not walk again: walks on
     * every reconnection would keep the mesh churning.
     */
    private void announceJoin(Session first) {
        Endpoint listen = advertised();
        if (joinAnnounced || listen == null) {
            return;
        }
        joinAnnounced = true;
        send(first, codec.encode(new Frame.Join(new PeerRecord(id, listen), JOIN_WALK_HOPS)));
    }

    /**
     * A join: from the newcomer itself, a request to start its walks (honoured once per link);
     * otherwise one step of a walk: pass it on to a random other neighbour, remember the newcomer
     * half-way, and at the end dial it. The end node dials even when full: its youngest inbound link
     * then makes room (at most once a second), which keeps the mesh mixing as it grows.
     */
    private void onJoin(Session from, Frame.Join j) {
        PeerRecord newcomer = j.newcomer();
        if (newcomer.id().equals(from.peerId)) {
            if (!from.walksStarted && newcomer.endpoint().equals(from.peerListen)) {
                from.walksStarted = true;
                byte[] walk = codec.encode(new Frame.Join(newcomer, Math.min(j.ttl(), JOIN_WALK_HOPS)));
                for (Session n : neighbours.values()) {
                    if (n != from) {
                        send(n, walk);
                    }
                }
            }
            return;
        }
        if (id.equals(newcomer.id()) || neighbours.containsKey(newcomer.id())) {
            return;
        }
        if (!defences.mayDial(newcomer.endpoint(), from.address)) {
            learn(List.of(newcomer), from.peerId.shortForm(), from.address); // counted and logged there
            return;
        }
        int ttl = Math.min(j.ttl(), JOIN_WALK_HOPS);
        List<Session> onward = new ArrayList<>();
        for (Session n : neighbours.values()) {
            if (n != from && !n.peerId.equals(newcomer.id())) {
                onward.add(n);
            }
        }
        if (ttl == 0 || onward.isEmpty()) {
            adopt(newcomer, from);
            return;
        }
        if (ttl == JOIN_REMEMBER_AT) {
            learn(List.of(newcomer), from.peerId.shortForm(), from.address);
        }
        Session next = onward.get(runtime.random().nextInt(onward.size()));
        send(next, codec.encode(new Frame.Join(newcomer, ttl - 1)));
    }

    /** Dials the newcomer a join walk ended at, if it may (see {@link #onJoin}). */
    private void adopt(PeerRecord newcomer, Session from) {
        Endpoint at = newcomer.endpoint();
        learn(List.of(newcomer), from.peerId.shortForm(), from.address);
        if (dialing.containsKey(at) || !defences.mayDialLearned(from.peerId.shortForm(), runtime.monotonicMillis())) {
            return;
        }
        dial(at, null, committedLinks() >= config.maxPeers());
    }

    private void askForPeers() {
        if (neighbours.isEmpty()) {
            return;
        }
        List<Session> all = new ArrayList<>(neighbours.values());
        send(all.get(runtime.random().nextInt(all.size())), codec.encode(new Frame.PeerRequest()));
    }

    private void keepalive() {
        long now = runtime.monotonicMillis();
        long interval = config.keepalive().interval().toMillis();
        long dead = config.keepalive().deadAfter().toMillis();
        for (Session s : new ArrayList<>(sessions.values())) {
            if (s.state != Session.State.ESTABLISHED) {
                continue;
            }
            long silent = now - s.lastHeard;
            if (silent >= dead) {
                s.closeReason = DisconnectReason.TIMEOUT;
                s.closeDetail = "silent for " + silent + " ms";
                s.connection.close(1001, "timeout");
            } else if (silent >= interval) {
                send(s, codec.encode(new Frame.Ping(runtime.random().nextLong())));
            }
        }
    }

    /**
     * Sends a frame now, after any frames queued for the link in this turn of the loop, so that
     * frames leave in the order they were given.
     */
    boolean send(Session s, byte[] frame) {
        flush(s);
        return transmit(s, frame);
    }

    /**
     * Queues a frame for the link; every frame queued in one turn of the event loop leaves in one
     * transport message (a bundle, if the codec has them) when the turn ends. Under load, when the
     * loop runs many tasks in a row, this turns a burst of small frames into one write and one
     * receive at the other end; at low load it costs one extra task.
     */
    boolean enqueue(Session s, byte[] frame) {
        if (s.connection.queuedBytes() + s.outboxBytes + frame.length + FRAME_HEADER_SLACK
                > config.transportOptions().maxQueuedBytes() || !s.connection.isOpen()) {
            return send(s, frame); // it will be refused: that tells a slow consumer from a closing link
        }
        if (s.outbox.isEmpty()) {
            toFlush.add(s);
            if (!flushScheduled) {
                flushScheduled = true;
                runtime.execute(this::flushOutboxes);
            }
        }
        s.outbox.add(frame);
        s.outboxBytes += frame.length;
        return true;
    }

    private void flushOutboxes() {
        flushScheduled = false;
        for (Session s : toFlush) {
            flush(s);
        }
        toFlush.clear();
    }

    private void flush(Session s) {
        List<byte[]> frames = s.outbox;
        if (frames.isEmpty()) {
            return;
        }
        try {
            transmitAll(s, frames);
        } finally {
            // Sent or, if the link refused them, dropped with it: the list is reused either way.
            frames.clear();
            s.outboxBytes = 0;
        }
    }

    private void transmitAll(Session s, List<byte[]> frames) {
        for (int i = 0; i < frames.size(); ) {
            // Sized as the binary bundle lays it out (a kind byte, a 4-byte length per frame).
            int j = i + 1;
            int size = 1 + 4 + frames.get(i).length;
            while (j < frames.size() && j - i < MAX_FRAMES_PER_BUNDLE
                    && size + 4 + frames.get(j).length <= bundleBytes) {
                size += 4 + frames.get(j).length;
                j++;
            }
            byte[] bundle = j - i > 1 ? codec.bundle(frames.subList(i, j)) : null;
            if (bundle != null) {
                if (!transmit(s, bundle)) {
                    return;
                }
            } else {
                for (int k = i; k < j; k++) {
                    if (!transmit(s, frames.get(k))) {
                        return;
                    }
                }
            }
            i = j;
        }
    }

    /** Hands bytes to the transport; a peer whose queue is full is disconnected as a slow consumer. */
    private boolean transmit(Session s, byte[] frame) {
        if (s.connection.send(s.sealer == null ? frame : s.sealer.seal(frame))) {
            return true;
        }
        if (s.sealer != null && s.connection.isOpen() && s.state != Session.State.ESTABLISHED) {
            // The record's sequence number is spent: whatever follows would be refused as reordered.
            s.connection.close(1011, "record not sent");
        }
        // Only a full queue makes a slow consumer; a refusal with room left means the link is
        // closing (possibly from the other end, before this end has heard).
        boolean queueFull = s.connection.queuedBytes() + frame.length + FRAME_HEADER_SLACK
                > config.transportOptions().maxQueuedBytes();
        if (!queueFull || !s.connection.isOpen()) {
            LOG.debug("{}: frame to {} dropped: the link is closing", id.shortForm(), s.describe());
        } else if (s.state == Session.State.ESTABLISHED) {
            LOG.warn("{}: {} does not keep up ({} bytes queued); disconnecting", id.shortForm(), s.describe(),
                    s.connection.queuedBytes());
            stats.slowConsumers.incrementAndGet();
            s.closeReason = DisconnectReason.SLOW_CONSUMER;
            s.closeDetail = s.connection.queuedBytes() + " bytes queued";
            s.connection.close(1008, "slow consumer");
        }
        return false;
    }

    // ---------------------------------------------------------------- messages

    private void onPublish(Session from, Envelope e, Inbound in) {
        if (from.closeReason == DisconnectReason.MISBEHAVED) {
            return; // what a cut-off neighbour sent before its link closed is not worth a check
        }
        if (!admit(from, e.isDirect() ? MessageClass.DIRECT : MessageClass.BROADCAST)) {
            return;
        }
        if (e.origin().equals(id)) {
            duplicate(from, e, in.id());
            return;
        }
        if (!fresh(from, e, in.id(), replay.check(in.id(), e.timestamp(), runtime.nowMillis()))) {
            return;
        }
        List<byte[]> pending = pendingVerify.get(in.id());
        if (pending != null) {
            // A copy of a message being verified. A copy with another signature is checked too: if it
            // is the genuine one, the first copy fails and this one must still get through.
            for (byte[] sig : pending) {
                if (Arrays.equals(sig, e.signature())) {
                    duplicate(from, e, in.id());
                    return;
                }
            }
            if (pending.size() >= MAX_SIGNATURES_PER_ID) {
                stats.dropped.incrementAndGet();
                return;
            }
        }
        if (verificationsInFlight >= MAX_PENDING_VERIFY) {
            if (Long.bitCount(stats.dropped.incrementAndGet()) == 1) {
                LOG.warn("{}: {} messages await verification; dropping ({} so far)", id.shortForm(),
                        MAX_PENDING_VERIFY, stats.dropped.get());
            }
            return;
        }
        pendingVerify.computeIfAbsent(in.id(), k -> new ArrayList<>(MAX_SIGNATURES_PER_ID)).add(e.signature());
        verificationsInFlight++;
        toVerify.add(new Verification(from, e, in));
        if (toVerify.size() == 1) {
            runtime.execute(this::submitVerifications);
        }
    }

    /** One signature check: who sent the copy, the envelope, its signed bytes and id. */
    private record Verification(Session from, Envelope envelope, Inbound in) {
    }

    /**
     * Hands this turn's verifications to the workers, split into up to one batch per core (of at
     * least {@value #MIN_VERIFY_BATCH}), each batch answering with one task: two hand-offs per batch
     * instead of two per message.
     */
    private void submitVerifications() {
        List<Verification> jobs = toVerify;
        toVerify = new ArrayList<>();
        // Splitting a few checks costs more wake-ups than it saves time.
        int batches = Math.min(VERIFY_PARALLELISM, (jobs.size() + MIN_VERIFY_BATCH - 1) / MIN_VERIFY_BATCH);
        for (int b = 0; b < batches; b++) {
            List<Verification> batch = jobs.subList(jobs.size() * b / batches, jobs.size() * (b + 1) / batches);
            try {
                runtime.workers().execute(() -> {
                    boolean[] ok = new boolean[batch.size()];
                    for (int i = 0; i < ok.length; i++) {
                        Verification v = batch.get(i);
                        try {
                            ok[i] = verifiers.forOrigin(v.envelope().origin(), v.envelope().publicKey())
                                    .verify(v.in().signed(), v.envelope().signature());
                        } catch (RuntimeException ex) {
                            // A scheme's bug must not lose the rest of the batch: count it as a bad signature.
                            LOG.warn("{}: verifying message {} threw", id.shortForm(), v.in().id(), ex);
                        }
                    }
                    runtime.execute(() -> {
                        for (int i = 0; i < ok.length; i++) {
                            Verification v = batch.get(i);
                            boolean good = ok[i];
                            guard("verified message", () -> verified(v.from(), v.envelope(), v.in().id(), good));
                        }
                    });
                });
            } catch (RejectedExecutionException ex) {
                for (Verification v : batch) {
                    verificationDone(v.in().id(), v.envelope().signature());
                }
                if (Long.bitCount(stats.dropped.addAndGet(batch.size())) == 1) {
                    LOG.warn("{}: verifier pool is full; dropping ({} so far)", id.shortForm(), stats.dropped.get());
                }
            }
        }
    }

    private void verificationDone(MessageId mid, byte[] signature) {
        verificationsInFlight--;
        List<byte[]> pending = pendingVerify.get(mid);
        if (pending != null) {
            pending.removeIf(sig -> sig == signature);
            if (pending.isEmpty()) {
                pendingVerify.remove(mid);
            }
        }
    }

    private void verified(Session from, Envelope e, MessageId mid, boolean ok) {
        verificationDone(mid, e.signature());
        if (lifecycle.get() != Lifecycle.RUNNING) {
            return;
        }
        if (!ok) {
            stats.badSignatures.incrementAndGet();
            LOG.warn("{}: dropped message {} with a bad signature (origin {}, relayed by {})", id.shortForm(), mid,
                    e.origin().shortForm(), from.describe());
            penalise(from, Fault.INVALID, "relayed messages with bad signatures");
            return;
        }
        // After the signature, so forgeries cannot spend an honest origin's allowance.
        RateLimiter.Verdict v = defences.message(e.origin(), runtime.monotonicMillis());
        if (v != RateLimiter.Verdict.ALLOWED) {
            limited("message " + mid + " from origin " + e.origin().shortForm(), v);
            return;
        }
        if (!fresh(from, e, mid, replay.accept(mid, e.origin(), e.timestamp(), e.sequence(), runtime.nowMillis()))) {
            return;
        }
        scores.firstDelivery(from.peerId);
        if (e.isDirect()) {
            if (e.destination().equals(id)) {
                deliverDirect(e, mid);
            } else {
                relay(e, mid);
            }
            return;
        }
        if (MessageTypes.reserved(e.type())) {
            stats.badFrames.incrementAndGet();
            if (from.countBadFrame()) {
                LOG.warn("{}: dropped broadcast {} of the node's own type {} (origin {}, relayed by {})",
                        id.shortForm(), mid, e.type(), e.origin().shortForm(), from.describe());
            }
            penalise(from, Fault.INVALID, "relayed broadcasts of reserved types");
            return;
        }
        deliver(e, mid, e.type(), e.payload(), Message.Delivery.BROADCAST, false);
        if (e.ttl() > 0 && e.hops() < MAX_HOPS) {
            dissemination.spread(e.forwarded(), mid, from.peerId);
        }
    }

    /** True for a message the replay guard calls new; counts and logs the others. */
    private boolean fresh(Session from, Envelope e, MessageId mid, ReplayGuard.Verdict verdict) {
        switch (verdict) {
            case NEW:
                return true;
            case DUPLICATE:
                duplicate(from, e, mid);
                return false;
            case STALE:
                stats.stale.incrementAndGet();
                break;
            default:
                stats.replays.incrementAndGet();
                break;
        }
        if (from.countBadFrame()) {
            LOG.warn("{}: dropped {} message {} from {} relayed by {} (stamped {} ms from now, sequence {})",
                    id.shortForm(), verdict == ReplayGuard.Verdict.STALE ? "stale" : "replayed", mid,
                    e.origin().shortForm(), from.describe(), e.timestamp() - runtime.nowMillis(), e.sequence());
        }
        penalise(from, Fault.BEHAVIOUR, "relayed stale or replayed messages");
        return false;
    }

    private void duplicate(Session from, Envelope e, MessageId mid) {
        stats.duplicates.incrementAndGet();
        if (!e.isDirect() && from.state == Session.State.ESTABLISHED) {
            dissemination.duplicate(from.peerId, mid, e.origin());
        }
    }

    /**
     * A verified direct message for this node. With encrypted links, application messages must come
     * end to end: one in the clear could have been read by any node on its way.
     */
    private void deliverDirect(Envelope e, MessageId mid) {
        if (endToEnd != null && EndToEnd.handles(e.type())) {
            try {
                endToEnd.receive(e, mid);
            } catch (ChannelException ex) {
                // Sampled (1st, 2nd, 4th, ...): a remote node chooses how many of these it causes.
                if (Long.bitCount(stats.badFrames.incrementAndGet()) == 1) {
                    LOG.warn("{}: end-to-end message {} from {} refused ({}): {}", id.shortForm(), mid,
                            e.origin().shortForm(), ex.problem(), ex.getMessage());
                }
            }
        } else if (endToEnd != null || MessageTypes.reserved(e.type())) {
            if (Long.bitCount(stats.refusedByPolicy.incrementAndGet()) == 1) {
                LOG.warn("{}: refused direct message {} of type {} from {}: {}", id.shortForm(), mid, e.type(),
                        e.origin().shortForm(), endToEnd != null ? "this node takes direct messages end to end only"
                                : "end-to-end messages need encrypted links");
            }
        } else {
            deliver(e, mid, e.type(), e.payload(), Message.Delivery.DIRECT, false);
        }
    }

    /** A verified direct message for another node, sent on if its hop limit allows. */
    private void relay(Envelope e, MessageId mid) {
        if (e.ttl() <= 0 || e.hops() >= MAX_HOPS) {
            stats.undeliverable.incrementAndGet();
            LOG.debug("{}: message {} for {} ran out of hops", id.shortForm(), mid, e.destination().shortForm());
            return;
        }
        towards(e.forwarded(), mid).whenComplete((v, err) -> {
            if (err != null) {
                stats.undeliverable.incrementAndGet();
                LOG.debug("{}: cannot relay message {} to {}: {}", id.shortForm(), mid, e.destination().shortForm(),
                        err.getMessage());
            } else {
                stats.forwarded.incrementAndGet();
            }
        });
    }

    private void deliver(Envelope e, MessageId mid, String type, byte[] payload, Message.Delivery kind,
                         boolean endToEndSealed) {
        stats.delivered.incrementAndGet();
        Message m = new Message(mid, type, e.origin(), e.timestamp(), e.hops() + 1, kind, payload, endToEndSealed);
        List<MessageHandler> list = handlers.get(type);
        if (list != null) {
            for (MessageHandler h : list) {
                guard("handler for " + type, () -> h.onMessage(m));
            }
        }
        emit(new MeshEvent.MessageReceived(m));
    }

    /** The node as its dissemination sees it. */
    private final class Links implements GossipLinks {
        private final int idsPerFrame = Math.max(1, Math.min(MAX_IDS_PER_FRAME,
                Math.min(config.frameLimits().maxArrayLength(), (config.frameLimits().listBytes() - 64) / 40)));

        @Override
        public NodeRuntime runtime() {
            return runtime;
        }

        @Override
        public Codec codec() {
            return codec;
        }

        @Override
        public Collection<NodeId> neighbours() {
            return neighbours.keySet();
        }

        @Override
        public boolean push(NodeId neighbour, byte[] publishFrame) {
            Session s = neighbours.get(neighbour);
            if (s != null && enqueue(s, publishFrame)) {
                stats.forwarded.incrementAndGet();
                return true;
            }
            return false;
        }

        @Override
        public void brokenPromise(NodeId neighbour) {
            Session s = neighbours.get(neighbour);
            if (s != null) {
                penalise(s, Fault.BROKEN_PROMISE, "announced messages it did not send when asked");
            }
        }

        @Override
        public boolean send(NodeId neighbour, Frame frame) {
            if (frame instanceof Frame.IHave && defences.settings().enabled() && scores.belowGossip(neighbour)) {
                return false; // a suspicious peer is told of nothing it could ask for
            }
            Session s = neighbours.get(neighbour);
            return s != null && enqueue(s, codec.encode(frame));
        }

        @Override
        public int maxIdsPerFrame() {
            return idsPerFrame;
        }

        @Override
        public boolean delivered(MessageId id) {
            return replay.seen(id);
        }

        @Override
        public boolean pending(MessageId id) {
            return pendingVerify.containsKey(id);
        }
    }

    // ---------------------------------------------------------------- events, snapshots, routing

    void emit(MeshEvent event) {
        for (MeshEventListener l : eventListeners) {
            guard("event listener on " + event.getClass().getSimpleName(), () -> l.onEvent(event));
        }
    }

    private void publishSnapshot() {
        List<PeerInfo> list = new ArrayList<>(neighbours.size());
        for (Session s : neighbours.values()) {
            list.add(s.info);
        }
        peerSnapshot = List.copyOf(list);
    }

    /** The neighbour session of {@code peer}, for the router context; null if not a neighbour. */
    Session neighbour(NodeId peer) {
        return neighbours.get(peer);
    }

    Codec codec() {
        return codec;
    }

    NodeRuntime runtime() {
        return runtime;
    }
}
