package dev.meshkit.core.node;

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
import dev.meshkit.api.NodeId;
import dev.meshkit.api.PeerInfo;
import dev.meshkit.api.RefusalReason;
import dev.meshkit.api.Subscription;
import dev.meshkit.api.spi.Cancellable;
import dev.meshkit.api.spi.Codec;
import dev.meshkit.api.spi.CodecProvider;
import dev.meshkit.api.spi.Connection;
import dev.meshkit.api.spi.ConnectionHandler;
import dev.meshkit.api.spi.Discovery;
import dev.meshkit.api.spi.DiscoveryContext;
import dev.meshkit.api.spi.ExtensionContext;
import dev.meshkit.api.spi.IdentityScheme;
import dev.meshkit.api.spi.KeyMaterial;
import dev.meshkit.api.spi.Listener;
import dev.meshkit.api.spi.MeshExtension;
import dev.meshkit.api.spi.MessageClass;
import dev.meshkit.api.spi.NodeRuntime;
import dev.meshkit.api.spi.PeerCandidate;
import dev.meshkit.api.spi.Router;
import dev.meshkit.api.spi.RouterContext;
import dev.meshkit.api.spi.RouterProvider;
import dev.meshkit.api.spi.Signer;
import dev.meshkit.api.spi.Transport;
import dev.meshkit.api.spi.TransportProvider;
import dev.meshkit.api.spi.TrustDecision;
import dev.meshkit.api.spi.TrustPolicy;
import dev.meshkit.api.spi.TrustPolicyProvider;
import dev.meshkit.api.spi.Verifier;
import dev.meshkit.api.wire.Envelope;
import dev.meshkit.api.wire.Frame;
import dev.meshkit.api.wire.FrameDecodeException;
import dev.meshkit.api.wire.PeerRecord;
import dev.meshkit.core.Identities;
import dev.meshkit.core.gossip.DedupCache;
import dev.meshkit.core.gossip.EnvelopeSigning;
import dev.meshkit.core.peers.CandidateBook;
import dev.meshkit.core.runtime.EventLoopRuntime;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node runtime. Public methods may be called from any thread; they hand their work to the
 * node's event loop, which alone touches the protocol state below.
 */
final class CoreNode implements MeshNode {
    private static final Logger LOG = LoggerFactory.getLogger(CoreNode.class);
    static final int PROTOCOL_VERSION = 1;
    private static final Pattern TYPE = Pattern.compile("[A-Za-z0-9._:/-]{1,64}");
    private static final int CHALLENGE_BYTES = 32;
    private static final int MAX_PEERS_SHARED = 64;
    private static final int MAX_PARALLEL_DIALS = 8;
    private static final int MAX_PENDING_VERIFY = 10_000;
    private static final int MAX_INFLIGHT_FRAMES = 65_536;
    private static final int MAX_VERIFIERS = 4096;
    private static final long MAINTENANCE_MILLIS = 1000;

    private enum Lifecycle { NEW, STARTING, RUNNING, STOPPING, STOPPED }

    private final MeshConfig config;
    private final NodeRuntime runtime;
    private final boolean ownsRuntime;
    private final KeyMaterial keys;
    private final IdentityScheme scheme;
    private final Signer signer;
    private final NodeId id;
    private final Codec codec;
    private final TrustPolicy trust;
    private final SecureRandom secureRandom = new SecureRandom();
    private final AtomicReference<Lifecycle> lifecycle = new AtomicReference<>(Lifecycle.NEW);
    private final CompletableFuture<MeshNode> started = new CompletableFuture<>();
    private final CompletableFuture<Void> stopped = new CompletableFuture<>();
    private final AtomicLong sequence = new AtomicLong();
    private final AtomicInteger inflightFrames = new AtomicInteger();
    private final Map<String, CopyOnWriteArrayList<MessageHandler>> handlers = new ConcurrentHashMap<>();
    private final CopyOnWriteArrayList<MeshEventListener> eventListeners = new CopyOnWriteArrayList<>();
    private final Map<NodeId, Verifier> verifiers = Collections.synchronizedMap(
            new LinkedHashMap<>(256, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<NodeId, Verifier> eldest) {
                    return size() > MAX_VERIFIERS;
                }
            });
    private final NodeStats stats = new NodeStats();
    private volatile List<Endpoint> endpoints = List.of();
    private volatile List<PeerInfo> peerSnapshot = List.of();

    // Event-loop state.
    private final Map<String, Transport> transports = new HashMap<>();
    private final Set<String> unsupportedSchemes = new HashSet<>();
    private final List<Listener> listeners = new ArrayList<>();
    // Insertion-ordered so iteration, and hence a simulated run, is reproducible.
    private final Map<Connection, Session> sessions = new LinkedHashMap<>();
    private final Map<NodeId, Session> neighbours = new LinkedHashMap<>();
    private final Set<Endpoint> dialing = new HashSet<>();
    private final Set<Endpoint> selfEndpoints = new HashSet<>();
    private final Set<String> localHosts = new HashSet<>();
    private final Map<MessageId, byte[]> pendingVerify = new HashMap<>();
    private final List<Cancellable> timers = new ArrayList<>();
    private final DedupCache dedup;
    private final CandidateBook candidates;
    private Router router;

    CoreNode(MeshConfig config) {
        this.config = config;
        this.keys = resolveKeys(config);
        this.scheme = Identities.scheme(keys.scheme());
        this.signer = scheme.signer(keys);
        this.id = keys.nodeId();
        this.ownsRuntime = config.runtime() == null;
        this.runtime = ownsRuntime
                ? new EventLoopRuntime(id.shortForm(), Math.max(1, Runtime.getRuntime().availableProcessors()), 50_000)
                : config.runtime();
        this.codec = Plugins.choose(CodecProvider.class, config.codec(), CodecProvider::name, CodecProvider::priority)
                .create(config.frameLimits());
        this.trust = config.trustPolicy() != null ? config.trustPolicy()
                : Plugins.choose(TrustPolicyProvider.class, null, TrustPolicyProvider::name,
                        TrustPolicyProvider::priority).create();
        this.dedup = new DedupCache(config.gossip().dedupCapacity(), config.gossip().dedupTtl().toMillis());
        this.candidates = new CandidateBook(config.maxCandidates(), config.reconnect(), this::isSelf);
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
    public MeshStats stats() {
        return stats.snapshot();
    }

    @Override
    public CompletableFuture<MeshNode> start() {
        if (lifecycle.compareAndSet(Lifecycle.NEW, Lifecycle.STARTING)) {
            runtime.execute(this::startOnLoop);
        }
        return started;
    }

    @Override
    public CompletableFuture<NodeId> connect(Endpoint endpoint) {
        CompletableFuture<NodeId> result = new CompletableFuture<>();
        if (!isRunning()) {
            result.completeExceptionally(notRunning());
            return result;
        }
        runtime.execute(() -> {
            if (isSelf(endpoint)) {
                result.completeExceptionally(new HandshakeRefusedException(RefusalReason.SELF_CONNECTION,
                        endpoint + " is this node"));
                return;
            }
            for (Session s : neighbours.values()) {
                if (endpoint.equals(s.reachableAt())) {
                    result.complete(s.peerId);
                    return;
                }
            }
            candidates.offer(endpoint, null, "connect");
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
        Envelope e = seal(type, null, payload, ttl);
        MessageId mid = EnvelopeSigning.messageId(EnvelopeSigning.signedBytes(e));
        runtime.execute(() -> {
            dedup.add(mid, runtime.nowMillis());
            stats.published.incrementAndGet();
            forward(e, null);
        });
        return mid;
    }

    @Override
    public CompletableFuture<MessageId> sendTo(NodeId destination, String type, byte[] payload) {
        CompletableFuture<MessageId> result = new CompletableFuture<>();
        Envelope e;
        try {
            e = seal(type, destination, payload, 0);
        } catch (MeshException ex) {
            result.completeExceptionally(ex);
            return result;
        }
        MessageId mid = EnvelopeSigning.messageId(EnvelopeSigning.signedBytes(e));
        runtime.execute(() -> {
            if (destination.equals(id)) {
                deliver(e, mid, Message.Delivery.DIRECT);
                result.complete(mid);
                return;
            }
            Session s = neighbours.get(destination);
            if (s != null) {
                if (send(s, codec.encode(new Frame.Publish(e)))) {
                    result.complete(mid);
                } else {
                    result.completeExceptionally(new MeshException(ErrorCode.BACKPRESSURE,
                            "send queue to " + destination.shortForm() + " is full"));
                }
                return;
            }
            router.route(e).whenComplete((ok, err) -> {
                if (err != null) {
                    result.completeExceptionally(err);
                } else {
                    result.complete(mid);
                }
            });
        });
        return result;
    }

    private Envelope seal(String type, NodeId destination, byte[] payload, int ttl) {
        if (!isRunning()) {
            throw notRunning();
        }
        if (type == null || !TYPE.matcher(type).matches()) {
            throw new MeshException(ErrorCode.INVALID_CONFIG, "message type must be 1-64 characters of [A-Za-z0-9._:/-]");
        }
        if (payload.length > config.frameLimits().maxPayloadBytes()) {
            throw new MeshException(ErrorCode.MESSAGE_TOO_LARGE, "payload of " + payload.length
                    + " bytes exceeds the limit of " + config.frameLimits().maxPayloadBytes());
        }
        byte[] copy = payload.clone();
        Envelope unsigned = new Envelope(type, id, destination, runtime.nowMillis(), sequence.incrementAndGet(), ttl, 0,
                copy, keys.publicKey(), new byte[0]);
        byte[] signature = signer.sign(EnvelopeSigning.signedBytes(unsigned));
        return new Envelope(type, id, destination, unsigned.timestamp(), unsigned.sequence(), ttl, 0, copy,
                keys.publicKey(), signature);
    }

    @Override
    public Subscription on(String type, MessageHandler handler) {
        handlers.computeIfAbsent(type, t -> new CopyOnWriteArrayList<>()).add(handler);
        return () -> off(type, handler);
    }

    @Override
    public void off(String type, MessageHandler handler) {
        List<MessageHandler> list = handlers.get(type);
        if (list != null) {
            list.remove(handler);
        }
    }

    @Override
    public Subscription onEvent(MeshEventListener listener) {
        eventListeners.add(listener);
        return () -> eventListeners.remove(listener);
    }

    @Override
    public CompletableFuture<Void> stop() {
        Lifecycle previous = lifecycle.getAndUpdate(l -> l == Lifecycle.STOPPED ? l : Lifecycle.STOPPING);
        if (previous == Lifecycle.STOPPING || previous == Lifecycle.STOPPED) {
            return stopped;
        }
        if (previous == Lifecycle.NEW) {
            finishStop("stopped before start");
            return stopped;
        }
        if (runtime.inEventLoop()) {
            shutdownOnLoop("stopped"); // called from a handler: queuing would deadlock close()
        } else {
            runtime.execute(() -> shutdownOnLoop("stopped"));
        }
        return stopped;
    }

    private static MeshException notRunning() {
        return new MeshException(ErrorCode.NOT_RUNNING, "node is not running");
    }

    // ---------------------------------------------------------------- lifecycle (event loop)

    private void startOnLoop() {
        try {
            router = Plugins.choose(RouterProvider.class, config.router(), RouterProvider::name,
                    RouterProvider::priority).create(routerContext());
            for (Transport t : config.transports()) {
                for (String s : t.schemes()) {
                    transports.putIfAbsent(s, t);
                }
            }
            collectLocalHosts();
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
                    : t.listen(e, new LinkHandler(null, null)));
        }
        CompletableFuture.allOf(binds.toArray(new CompletableFuture[0])).whenComplete((v, err) ->
                runtime.execute(() -> {
                    for (CompletableFuture<Listener> b : binds) {
                        if (!b.isCompletedExceptionally()) {
                            listeners.add(b.join());
                        }
                    }
                    if (err != null) {
                        failStart(err.getCause() != null ? err.getCause() : err);
                    } else {
                        becomeRunning();
                    }
                }));
    }

    private void failStart(Throwable cause) {
        LOG.error("{}: start failed: {}", id.shortForm(), cause.toString());
        lifecycle.set(Lifecycle.STOPPING);
        shutdownOnLoop("start failed");
        started.completeExceptionally(cause);
    }

    private void becomeRunning() {
        if (!lifecycle.compareAndSet(Lifecycle.STARTING, Lifecycle.RUNNING)) {
            shutdownOnLoop("stopped while starting");
            return;
        }
        List<Endpoint> bound = new ArrayList<>();
        for (Listener l : listeners) {
            Endpoint e = l.endpoint();
            selfEndpoints.add(e);
            bound.add(e.isWildcard() ? e.withHost("127.0.0.1") : e);
        }
        if (config.advertise() != null) {
            bound.add(0, config.advertise());
        }
        selfEndpoints.addAll(bound);
        endpoints = List.copyOf(bound);
        long keepaliveTick = Math.min(config.keepalive().interval().toMillis(),
                config.keepalive().deadAfter().toMillis() / 3);
        every(keepaliveTick, this::keepalive);
        every(config.peerExchangeInterval().toMillis(), this::askForPeers);
        every(MAINTENANCE_MILLIS, this::maintain);
        LOG.info("{}: started on {} (network {}, scheme {})", id.shortForm(), endpoints, config.network(),
                scheme.name());
        emit(new MeshEvent.NodeStarted(id, endpoints));
        started.complete(this);
        for (String seed : config.seeds()) {
            try {
                Endpoint e = Endpoint.parse(seed);
                if (transportFor(e.scheme()) == null) {
                    LOG.warn("{}: seed {} skipped: no transport for scheme {}", id.shortForm(), seed, e.scheme());
                } else if (!candidates.offer(e, null, "seed")) {
                    LOG.info("{}: seed {} skipped: it is this node", id.shortForm(), seed);
                }
            } catch (InvalidEndpointException ex) {
                LOG.warn("{}: seed skipped: {}", id.shortForm(), ex.getMessage());
            }
        }
        maintain();
        startPlugins();
    }

    // Discoveries and extensions start once the node runs and stop before its links close.
    private void startPlugins() {
        DiscoveryContext discoveryContext = new DiscoveryContext() {
            @Override
            public NodeId self() {
                return id;
            }

            @Override
            public String network() {
                return config.network();
            }

            @Override
            public List<Endpoint> endpoints() {
                return endpoints;
            }

            @Override
            public void offer(PeerCandidate candidate) {
                runtime.execute(() -> {
                    if (lifecycle.get() == Lifecycle.RUNNING && transportFor(candidate.endpoint().scheme()) != null
                            && candidates.offer(candidate.endpoint(), candidate.id(), candidate.source())) {
                        maintain();
                    }
                });
            }

            @Override
            public NodeRuntime runtime() {
                return runtime;
            }
        };
        for (Discovery d : config.discoveries()) {
            guard("discovery start", () -> d.start(discoveryContext));
        }
        ExtensionContext extensionContext = new ExtensionContext() {
            @Override
            public MeshNode node() {
                return CoreNode.this;
            }

            @Override
            public NodeRuntime runtime() {
                return runtime;
            }
        };
        for (MeshExtension x : config.extensions()) {
            guard("extension " + x.name() + " start", () -> x.start(extensionContext));
        }
    }

    private void stopPlugins() {
        for (MeshExtension x : config.extensions()) {
            guard("extension " + x.name() + " stop", x::stop);
        }
        for (Discovery d : config.discoveries()) {
            guard("discovery stop", d::stop);
        }
    }

    // A plugin's failure is logged; it never takes the node down.
    private void guard(String what, Runnable action) {
        try {
            action.run();
        } catch (RuntimeException e) {
            LOG.error("{}: {} failed", id.shortForm(), what, e);
        }
    }

    private void every(long periodMillis, Runnable task) {
        Cancellable[] current = new Cancellable[1];
        Runnable[] tick = new Runnable[1];
        tick[0] = () -> {
            if (lifecycle.get() != Lifecycle.RUNNING) {
                return;
            }
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.error("{}: periodic task failed", id.shortForm(), e);
            }
            current[0] = runtime.schedule(periodMillis, tick[0]);
        };
        current[0] = runtime.schedule(periodMillis, tick[0]);
        timers.add(() -> current[0].cancel());
    }

    private void shutdownOnLoop(String reason) {
        if (started.isDone() && !started.isCompletedExceptionally()) {
            stopPlugins();
        }
        timers.forEach(Cancellable::cancel);
        timers.clear();
        for (Session s : new ArrayList<>(sessions.values())) {
            if (s.state == Session.State.ESTABLISHED) {
                s.connection.send(codec.encode(new Frame.Bye("shutdown")));
            }
            s.closeReason = DisconnectReason.LOCAL_SHUTDOWN;
            if (s.connected != null) {
                s.connected.completeExceptionally(notRunning());
            }
        }
        // Events are fired here: close callbacks would arrive after the loop has ended.
        for (Session s : neighbours.values()) {
            emit(new MeshEvent.PeerDisconnected(s.info, DisconnectReason.LOCAL_SHUTDOWN, reason));
        }
        List<Session> all = new ArrayList<>(sessions.values());
        sessions.clear();
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
        new HashSet<>(transports.values()).forEach(t -> {
            try {
                t.close();
            } catch (RuntimeException e) {
                LOG.warn("{}: transport close failed: {}", id.shortForm(), e.toString());
            }
        });
        transports.clear();
        finishStop(reason);
    }

    private void finishStop(String reason) {
        lifecycle.set(Lifecycle.STOPPED);
        emit(new MeshEvent.NodeStopped(id, reason));
        LOG.info("{}: stopped ({})", id.shortForm(), reason);
        if (ownsRuntime) {
            runtime.close();
        }
        stopped.complete(null);
    }

    // ---------------------------------------------------------------- transports and dialling

    private Transport transportFor(String schemeName) {
        Transport t = transports.get(schemeName);
        if (t == null && lifecycle.get() != Lifecycle.STOPPED && !unsupportedSchemes.contains(schemeName)) {
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
        Transport t = transportFor(endpoint.scheme());
        if (t == null) {
            candidates.forget(endpoint);
            if (result != null) {
                result.completeExceptionally(new MeshException(ErrorCode.MISSING_PROVIDER,
                        "no transport for scheme " + endpoint.scheme()));
            }
            return;
        }
        dialing.add(endpoint);
        t.dial(endpoint, new LinkHandler(endpoint, result)).whenComplete((c, err) -> {
            if (err != null) {
                runtime.execute(() -> dialFailed(endpoint, err, result));
            }
        });
    }

    private void dialFailed(Endpoint endpoint, Throwable err, CompletableFuture<NodeId> result) {
        dialing.remove(endpoint);
        Throwable cause = err.getCause() != null && !(err instanceof MeshException) ? err.getCause() : err;
        long retryIn = candidates.failed(endpoint, runtime.nowMillis(), runtime.random());
        LOG.debug("{}: dial {} failed: {} ({})", id.shortForm(), endpoint, cause.getMessage(),
                retryIn < 0 ? "forgotten" : "retry in " + retryIn + " ms");
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
        int room = Math.min(config.maxPeers() - committedLinks(), MAX_PARALLEL_DIALS - dialing.size());
        if (room <= 0) {
            return;
        }
        Set<Endpoint> linked = new HashSet<>();
        for (Session s : sessions.values()) {
            if (s.reachableAt() != null) {
                linked.add(s.reachableAt());
            }
        }
        for (CandidateBook.Candidate c : candidates.dialable(runtime.nowMillis(), room,
                c -> dialing.contains(c.endpoint()) || linked.contains(c.endpoint())
                        || (c.id() != null && (neighbours.containsKey(c.id()) || c.id().equals(id))),
                runtime.random())) {
            dial(c.endpoint(), null);
        }
    }

    private boolean isSelf(Endpoint e) {
        if (selfEndpoints.contains(e)) {
            return true;
        }
        for (Endpoint mine : selfEndpoints) {
            if (mine.scheme().equals(e.scheme()) && mine.port() == e.port() && mine.path().equals(e.path())
                    && (mine.isWildcard() || mine.isLoopback()) && localHosts.contains(e.host())) {
                return true;
            }
        }
        return false;
    }

    // Addresses of this machine, so ws://<own-ip>:<own-port> is recognised as self without DNS.
    private void collectLocalHosts() {
        localHosts.add("127.0.0.1");
        localHosts.add("0.0.0.0");
        localHosts.add("0:0:0:0:0:0:0:1");
        localHosts.add("0:0:0:0:0:0:0:0");
        try {
            for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                for (InetAddress a : Collections.list(nif.getInetAddresses())) {
                    String h = a.getHostAddress();
                    int scope = h.indexOf('%');
                    localHosts.add(scope >= 0 ? h.substring(0, scope) : h);
                }
            }
        } catch (SocketException | RuntimeException e) {
            LOG.debug("{}: cannot list interfaces: {}", id.shortForm(), e.toString());
        }
    }

    // ---------------------------------------------------------------- connection events

    /**
     * Receives one connection's transport callbacks. Frames are decoded on the transport's thread, so
     * decoding runs in parallel across links, then handed to the event loop.
     */
    private final class LinkHandler implements ConnectionHandler {
        private final Endpoint dialed;
        private final CompletableFuture<NodeId> result;

        LinkHandler(Endpoint dialed, CompletableFuture<NodeId> result) {
            this.dialed = dialed;
            this.result = result;
        }

        @Override
        public void onOpen(Connection connection) {
            runtime.execute(() -> opened(connection, dialed, result));
        }

        @Override
        public void onFrame(Connection connection, byte[] bytes) {
            if (inflightFrames.incrementAndGet() > MAX_INFLIGHT_FRAMES) {
                inflightFrames.decrementAndGet();
                stats.droppedOverload.incrementAndGet();
                return;
            }
            Frame frame;
            Inbound prepared;
            try {
                frame = codec.decode(bytes);
                prepared = frame instanceof Frame.Publish ? Inbound.of(((Frame.Publish) frame).envelope()) : null;
            } catch (FrameDecodeException e) {
                inflightFrames.decrementAndGet();
                runtime.execute(() -> badFrame(connection, e));
                return;
            }
            runtime.execute(() -> {
                inflightFrames.decrementAndGet();
                dispatch(connection, frame, prepared);
            });
        }

        @Override
        public void onClose(Connection connection, int code, String reason, boolean remote) {
            runtime.execute(() -> closed(connection, code, reason, remote));
        }
    }

    /** A publish frame's signed bytes and id, computed off the event loop. */
    private record Inbound(byte[] signed, MessageId id) {
        static Inbound of(Envelope e) {
            byte[] signed = EnvelopeSigning.signedBytes(e);
            return new Inbound(signed, EnvelopeSigning.messageId(signed));
        }
    }

    private void opened(Connection c, Endpoint dialed, CompletableFuture<NodeId> result) {
        if (dialed != null) {
            dialing.remove(dialed);
        }
        if (lifecycle.get() != Lifecycle.RUNNING) {
            c.close(1001, "shutdown");
            return;
        }
        if (dialed == null) {
            TrustDecision d = trust.admitConnection(c.remoteAddress(), true);
            if (!d.allowed()) {
                LOG.info("{}: connection from {} refused by policy: {}", id.shortForm(), c.remoteAddress(), d.reason());
                c.close(1008, d.reason());
                return;
            }
            if (sessions.size() - neighbours.size() >= 2 * config.maxPeers() + MAX_PARALLEL_DIALS) {
                c.close(1013, "too many handshakes");
                return;
            }
        }
        long now = runtime.nowMillis();
        Session s = new Session(c, dialed, result, now);
        sessions.put(c, s);
        s.handshakeTimer = runtime.schedule(config.handshakeTimeout().toMillis(), () -> {
            if (sessions.get(c) == s && s.state != Session.State.ESTABLISHED) {
                refuse(s, RefusalReason.TIMEOUT, "handshake took longer than " + config.handshakeTimeout());
            }
        });
        if (s.outbound) {
            s.localChallenge = challenge();
            send(s, codec.encode(new Frame.Hello(PROTOCOL_VERSION, config.network(), scheme.name(),
                    keys.publicKey(), s.localChallenge, advertised())));
        }
    }

    private Endpoint advertised() {
        return endpoints.isEmpty() ? null : endpoints.get(0);
    }

    private byte[] challenge() {
        byte[] b = new byte[CHALLENGE_BYTES];
        secureRandom.nextBytes(b);
        return b;
    }

    private void badFrame(Connection c, FrameDecodeException e) {
        Session s = sessions.get(c);
        stats.badFrames.incrementAndGet();
        if (s == null) {
            return;
        }
        s.badFrames++;
        if (s.state != Session.State.ESTABLISHED) {
            refuse(s, RefusalReason.PROTOCOL_ERROR, "bad handshake frame: " + e.getMessage());
            return;
        }
        // Power-of-two sampling keeps a hostile peer from flooding the log.
        if (Long.bitCount(s.badFrames) == 1) {
            LOG.warn("{}: dropped bad frame #{} from {}: {}", id.shortForm(), s.badFrames, s.describe(),
                    e.getMessage());
        }
    }

    private void dispatch(Connection c, Frame frame, Inbound prepared) {
        Session s = sessions.get(c);
        if (s == null) {
            return;
        }
        s.lastHeard = runtime.nowMillis();
        switch (s.state) {
            case AWAIT_HELLO:
                if (frame instanceof Frame.Hello) {
                    onHello(s, (Frame.Hello) frame);
                } else {
                    refuse(s, RefusalReason.PROTOCOL_ERROR, "expected hello, got " + frame.kind());
                }
                break;
            case AWAIT_WELCOME:
                if (frame instanceof Frame.Welcome) {
                    onWelcome(s, (Frame.Welcome) frame);
                } else if (frame instanceof Frame.Refuse) {
                    onRefused(s, (Frame.Refuse) frame);
                } else if (frame instanceof Frame.PeerList) {
                    // A full listener shares its peers before refusing, so a newcomer can go elsewhere.
                    learn(((Frame.PeerList) frame).peers(), "refusal");
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

    private void closed(Connection c, int code, String reason, boolean remote) {
        Session s = sessions.remove(c);
        if (s == null) {
            return;
        }
        if (s.handshakeTimer != null) {
            s.handshakeTimer.cancel();
        }
        if (s.dialed != null) {
            dialing.remove(s.dialed);
        }
        if (s.state != Session.State.ESTABLISHED) {
            if (s.outbound && s.closeReason == null) {
                dialFailed(s.dialed, new MeshException(ErrorCode.CONNECT_FAILED,
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
        neighbours.remove(s.peerId);
        publishSnapshot();
        DisconnectReason why = s.closeReason != null ? s.closeReason
                : s.byeReason != null ? DisconnectReason.REMOTE_CLOSED
                : code == 1006 ? DisconnectReason.TRANSPORT_ERROR : DisconnectReason.REMOTE_CLOSED;
        String detail = s.closeDetail != null ? s.closeDetail : s.byeReason != null ? "bye: " + s.byeReason
                : code + " " + reason;
        LOG.info("{}: peer {} disconnected: {} ({})", id.shortForm(), s.describe(), why, detail);
        emit(new MeshEvent.PeerDisconnected(s.info, why, detail));
        Endpoint again = s.reachableAt();
        if (again != null && lifecycle.get() == Lifecycle.RUNNING) {
            if ("shutdown".equals(s.byeReason)) {
                candidates.forget(again); // it left on purpose; it will dial us if it returns
            } else if (why != DisconnectReason.LOCAL_CLOSED && why != DisconnectReason.PROTOCOL_ERROR) {
                candidates.offer(again, s.peerId, "reconnect");
                long delay = candidates.failed(again, runtime.nowMillis(), runtime.random());
                if (delay >= 0) {
                    runtime.schedule(delay + 1, this::maintain);
                }
            }
        }
        maintain();
    }

    // ---------------------------------------------------------------- handshake

    private void onHello(Session s, Frame.Hello h) {
        if (h.version() != PROTOCOL_VERSION) {
            refuse(s, RefusalReason.VERSION_MISMATCH, "this node speaks version " + PROTOCOL_VERSION);
            return;
        }
        if (!config.network().equals(h.network())) {
            refuse(s, RefusalReason.NETWORK_MISMATCH, "this node is on network " + config.network());
            return;
        }
        if (!checkPeerKey(s, h.scheme(), h.publicKey()) || !checkChallenge(s, h.challenge())) {
            return;
        }
        s.remoteChallenge = h.challenge();
        s.peerListen = h.listen();
        if (!neighbours.containsKey(s.peerId) && committedLinks() >= config.maxPeers()) {
            send(s, codec.encode(new Frame.PeerList(sharedPeers(s.peerId))));
            refuse(s, RefusalReason.FULL, "this node has " + config.maxPeers() + " peers");
            return;
        }
        s.localChallenge = challenge();
        byte[] proof = signer.sign(HandshakeProofs.welcome(config.network(), PROTOCOL_VERSION, s.remoteChallenge,
                s.peerId, id, s.localChallenge));
        s.state = Session.State.AWAIT_AUTH;
        send(s, codec.encode(new Frame.Welcome(PROTOCOL_VERSION, config.network(), scheme.name(), keys.publicKey(),
                s.localChallenge, proof, advertised(), sharedPeers(s.peerId))));
    }

    /**
     * Neighbours plus links on their way to becoming one. Counting the pending ones keeps a node
     * from welcoming more peers than it can keep, which would end in late refusals.
     */
    private int committedLinks() {
        int pending = dialing.size();
        for (Session s : sessions.values()) {
            if (s.state == Session.State.AWAIT_AUTH || s.state == Session.State.AWAIT_WELCOME) {
                pending++;
            }
        }
        return neighbours.size() + pending;
    }

    private void onWelcome(Session s, Frame.Welcome w) {
        if (w.version() != PROTOCOL_VERSION) {
            refuse(s, RefusalReason.VERSION_MISMATCH, "this node speaks version " + PROTOCOL_VERSION);
            return;
        }
        if (!config.network().equals(w.network())) {
            refuse(s, RefusalReason.NETWORK_MISMATCH, "this node is on network " + config.network());
            return;
        }
        if (!checkPeerKey(s, w.scheme(), w.publicKey()) || !checkChallenge(s, w.challenge())) {
            return;
        }
        byte[] transcript = HandshakeProofs.welcome(config.network(), PROTOCOL_VERSION, s.localChallenge, id,
                s.peerId, w.challenge());
        if (!s.peerVerifier.verify(transcript, w.proof())) {
            refuse(s, RefusalReason.BAD_PROOF, "welcome proof does not verify");
            return;
        }
        s.remoteChallenge = w.challenge();
        s.peerListen = w.listen();
        byte[] proof = signer.sign(HandshakeProofs.auth(config.network(), PROTOCOL_VERSION, s.localChallenge, id,
                s.peerId, s.remoteChallenge));
        send(s, codec.encode(new Frame.Auth(proof)));
        establish(s);
        learn(w.peers(), s.peerId.shortForm());
        maintain();
    }

    private void onAuth(Session s, Frame.Auth a) {
        byte[] transcript = HandshakeProofs.auth(config.network(), PROTOCOL_VERSION, s.remoteChallenge, s.peerId, id,
                s.localChallenge);
        if (!s.peerVerifier.verify(transcript, a.proof())) {
            refuse(s, RefusalReason.BAD_PROOF, "auth proof does not verify");
            return;
        }
        establish(s);
    }

    // Checks the peer's scheme and key, and records its id. Refuses and returns false when they fail.
    private boolean checkPeerKey(Session s, String peerScheme, byte[] publicKey) {
        if (!scheme.name().equals(peerScheme)) {
            refuse(s, RefusalReason.UNSUPPORTED_SCHEME, "this network uses " + scheme.name());
            return false;
        }
        NodeId peer = NodeId.ofPublicKey(publicKey);
        if (peer.equals(id)) {
            refuse(s, RefusalReason.SELF_CONNECTION, "that is this node");
            return false;
        }
        try {
            s.peerVerifier = scheme.verifier(publicKey);
            verifiers.put(peer, s.peerVerifier);
        } catch (IllegalArgumentException e) {
            refuse(s, RefusalReason.PROTOCOL_ERROR, "malformed public key");
            return false;
        }
        s.peerId = peer;
        return true;
    }

    private boolean checkChallenge(Session s, byte[] challenge) {
        if (challenge == null || challenge.length != CHALLENGE_BYTES) {
            refuse(s, RefusalReason.PROTOCOL_ERROR, "challenge must be " + CHALLENGE_BYTES + " bytes");
            return false;
        }
        return true;
    }

    private void onRefused(Session s, Frame.Refuse r) {
        RefusalReason reason = RefusalReason.fromWire(r.reason());
        LOG.info("{}: {} refused us: {} ({})", id.shortForm(), s.describe(), reason.wireName(), r.detail());
        s.closeReason = DisconnectReason.REMOTE_CLOSED;
        emit(new MeshEvent.HandshakeRefused(s.dialed != null ? s.dialed.toString() : s.connection.remoteAddress(),
                reason, r.detail(), true));
        if (s.dialed != null) {
            if (reason == RefusalReason.SELF_CONNECTION) {
                selfEndpoints.add(s.dialed);
                candidates.forget(s.dialed);
            } else if (reason == RefusalReason.NETWORK_MISMATCH || reason == RefusalReason.VERSION_MISMATCH
                    || reason == RefusalReason.UNSUPPORTED_SCHEME) {
                candidates.forget(s.dialed);
            } else {
                candidates.failed(s.dialed, runtime.nowMillis(), runtime.random());
            }
        }
        if (s.connected != null) {
            s.connected.completeExceptionally(new HandshakeRefusedException(reason, r.detail()));
        }
        s.connection.close(reason.closeCode(), reason.wireName());
    }

    private void refuse(Session s, RefusalReason reason, String detail) {
        LOG.info("{}: refusing {}: {} ({})", id.shortForm(), s.describe(), reason.wireName(), detail);
        s.closeReason = DisconnectReason.LOCAL_CLOSED;
        s.closeDetail = reason.wireName();
        send(s, codec.encode(new Frame.Refuse(reason.wireName(), detail)));
        emit(new MeshEvent.HandshakeRefused(s.dialed != null ? s.dialed.toString() : s.connection.remoteAddress(),
                reason, detail, false));
        if (reason == RefusalReason.SELF_CONNECTION && s.dialed != null) {
            selfEndpoints.add(s.dialed);
            candidates.forget(s.dialed);
        }
        if (s.connected != null) {
            s.connected.completeExceptionally(new HandshakeRefusedException(reason, detail));
        }
        s.connection.close(reason.closeCode(), reason.wireName());
    }

    private void establish(Session s) {
        if (s.handshakeTimer != null) {
            s.handshakeTimer.cancel();
        }
        long now = runtime.nowMillis();
        PeerInfo info = new PeerInfo(s.peerId, s.peerListen, s.connection.remoteAddress(), !s.outbound, now);
        TrustDecision d = trust.admitPeer(info);
        if (!d.allowed()) {
            refuse(s, RefusalReason.POLICY, d.reason());
            return;
        }
        Session existing = neighbours.get(s.peerId);
        if (existing == null && neighbours.size() >= config.maxPeers()) {
            refuse(s, RefusalReason.FULL, "this node has " + config.maxPeers() + " peers");
            return;
        }
        s.state = Session.State.ESTABLISHED;
        s.info = info;
        Endpoint reach = s.reachableAt();
        if (reach != null) {
            candidates.offer(reach, s.peerId, "peer");
            candidates.succeeded(reach, s.peerId);
        }
        if (existing != null) {
            // Both ends apply the same rule, so they keep the same link: the one dialled by the
            // smaller node id, and between two links of one dialler, the one with the smaller challenge.
            if (preferred(s, existing)) {
                s.info = existing.info;
                neighbours.put(s.peerId, s);
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
        publishSnapshot();
        LOG.info("{}: peer {} connected ({})", id.shortForm(), s.describe(), s.outbound ? "outbound" : "inbound");
        emit(new MeshEvent.PeerConnected(info));
        if (s.connected != null) {
            s.connected.complete(s.peerId);
        }
        introduce(s);
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
        if (frame instanceof Frame.Publish) {
            onPublish(s, ((Frame.Publish) frame).envelope(), prepared);
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
                learn(((Frame.PeerList) frame).peers(), s.peerId.shortForm());
                maintain();
            }
        } else if (frame instanceof Frame.Bye) {
            s.byeReason = ((Frame.Bye) frame).reason();
        } else if (frame instanceof Frame.Refuse) {
            // The dialler counts a link as up once it sent its auth; the listener may still refuse
            // it (full, policy). That ends the link like a goodbye, it is no protocol error.
            Frame.Refuse r = (Frame.Refuse) frame;
            LOG.info("{}: {} refused the link after the handshake: {} ({})", id.shortForm(), s.describe(), r.reason(),
                    r.detail());
            s.byeReason = "refused: " + r.reason();
            s.connection.close(1000, "refused");
        } else {
            s.badFrames++;
            stats.badFrames.incrementAndGet();
            LOG.warn("{}: dropped {} frame from established peer {}", id.shortForm(), frame.kind(), s.describe());
        }
    }

    private boolean admit(Session s, MessageClass cls) {
        TrustDecision d = trust.admitMessage(s.info, cls);
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

    private void learn(List<PeerRecord> peers, String source) {
        for (PeerRecord p : peers) {
            if (id.equals(p.id()) || transportFor(p.endpoint().scheme()) == null) {
                continue;
            }
            candidates.offer(p.endpoint(), p.id(), source);
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

    private void askForPeers() {
        if (neighbours.isEmpty()) {
            return;
        }
        List<Session> all = new ArrayList<>(neighbours.values());
        send(all.get(runtime.random().nextInt(all.size())), codec.encode(new Frame.PeerRequest()));
    }

    private void keepalive() {
        long now = runtime.nowMillis();
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

    /** Sends a frame; a peer whose queue is full is disconnected as a slow consumer. */
    private boolean send(Session s, byte[] frame) {
        if (s.connection.send(frame)) {
            return true;
        }
        boolean queueFull = s.connection.queuedBytes() + frame.length > config.transportOptions().maxQueuedBytes();
        if (!queueFull) {
            LOG.debug("{}: frame to {} dropped: the link is closing", id.shortForm(), s.describe());
        } else if (s.connection.isOpen() && s.state == Session.State.ESTABLISHED) {
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
        if (!admit(from, e.isDirect() ? MessageClass.DIRECT : MessageClass.BROADCAST)) {
            return;
        }
        long now = runtime.nowMillis();
        if (e.origin().equals(id) || dedup.contains(in.id(), now)) {
            stats.duplicates.incrementAndGet();
            return;
        }
        byte[] pendingSig = pendingVerify.get(in.id());
        if (pendingSig != null) {
            // A copy of a message being verified. A copy with another signature is not dropped: if it
            // is the genuine one, the first copy fails and this one must still get through.
            if (Arrays.equals(pendingSig, e.signature())) {
                stats.duplicates.incrementAndGet();
                return;
            }
        } else if (pendingVerify.size() >= MAX_PENDING_VERIFY) {
            stats.droppedOverload.incrementAndGet();
            LOG.warn("{}: {} messages await verification; dropping {} from {}", id.shortForm(), MAX_PENDING_VERIFY,
                    in.id(), from.describe());
            return;
        } else {
            pendingVerify.put(in.id(), e.signature());
        }
        try {
            runtime.workers().execute(() -> {
                boolean ok = verifyEnvelope(e, in.signed());
                runtime.execute(() -> verified(from, e, in.id(), ok));
            });
        } catch (RejectedExecutionException ex) {
            pendingVerify.remove(in.id());
            stats.droppedOverload.incrementAndGet();
            LOG.warn("{}: verifier pool is full; dropping {} from {}", id.shortForm(), in.id(), from.describe());
        }
    }

    private boolean verifyEnvelope(Envelope e, byte[] signed) {
        if (!NodeId.ofPublicKey(e.publicKey()).equals(e.origin())) {
            return false;
        }
        return verifierFor(e.origin(), e.publicKey()).verify(signed, e.signature());
    }

    // Verifiers are cached per node id: parsing a public key costs more than a hash look-up.
    private Verifier verifierFor(NodeId origin, byte[] publicKey) {
        Verifier v = verifiers.get(origin);
        if (v == null) {
            try {
                v = scheme.verifier(publicKey);
                verifiers.put(origin, v);
            } catch (IllegalArgumentException ex) {
                return (data, sig) -> false;
            }
        }
        return v;
    }

    private void verified(Session from, Envelope e, MessageId mid, boolean ok) {
        pendingVerify.remove(mid);
        if (lifecycle.get() != Lifecycle.RUNNING) {
            return;
        }
        if (!ok) {
            from.badFrames++;
            stats.badSignatures.incrementAndGet();
            LOG.warn("{}: dropped message {} with a bad signature (origin {}, relayed by {})", id.shortForm(), mid,
                    e.origin().shortForm(), from.describe());
            return;
        }
        if (!dedup.add(mid, runtime.nowMillis())) {
            stats.duplicates.incrementAndGet();
            return;
        }
        if (e.isDirect()) {
            if (e.destination().equals(id)) {
                deliver(e, mid, Message.Delivery.DIRECT);
            } else {
                stats.undeliverable.incrementAndGet();
                LOG.debug("{}: message {} for {} is not ours; relaying needs a routing module", id.shortForm(), mid,
                        e.destination().shortForm());
            }
            return;
        }
        deliver(e, mid, Message.Delivery.BROADCAST);
        if (e.ttl() > 0) {
            forward(e.forwarded(), from);
        }
    }

    /** Sends one encoding of {@code e} to every neighbour but {@code except} and the origin. */
    private void forward(Envelope e, Session except) {
        byte[] frame = null;
        // Closing a slow neighbour only queues its close, so iterating the live map is safe.
        for (Session n : neighbours.values()) {
            if (n == except || n.peerId.equals(e.origin())) {
                continue;
            }
            if (frame == null) {
                frame = codec.encode(new Frame.Publish(e));
            }
            if (send(n, frame)) {
                stats.forwarded.incrementAndGet();
            }
        }
    }

    private void deliver(Envelope e, MessageId mid, Message.Delivery kind) {
        stats.delivered.incrementAndGet();
        Message m = new Message(mid, e.type(), e.origin(), e.timestamp(), e.hops() + 1, kind, e.payload());
        List<MessageHandler> list = handlers.get(e.type());
        if (list != null) {
            for (MessageHandler h : list) {
                try {
                    h.onMessage(m);
                } catch (RuntimeException ex) {
                    LOG.error("{}: handler for {} failed", id.shortForm(), e.type(), ex);
                }
            }
        }
        emit(new MeshEvent.MessageReceived(m));
    }

    // ---------------------------------------------------------------- events and snapshots

    private void emit(MeshEvent event) {
        for (MeshEventListener l : eventListeners) {
            try {
                l.onEvent(event);
            } catch (RuntimeException ex) {
                LOG.error("{}: event listener failed on {}", id.shortForm(), event.getClass().getSimpleName(), ex);
            }
        }
    }

    private void publishSnapshot() {
        List<PeerInfo> list = new ArrayList<>(neighbours.size());
        for (Session s : neighbours.values()) {
            list.add(s.info);
        }
        peerSnapshot = List.copyOf(list);
    }

    private RouterContext routerContext() {
        return new RouterContext() {
            @Override
            public NodeId self() {
                return id;
            }

            @Override
            public List<PeerInfo> neighbours() {
                return peerSnapshot;
            }

            @Override
            public boolean sendToNeighbour(NodeId neighbour, Frame frame) {
                Session s = neighbours.get(neighbour);
                return s != null && send(s, codec.encode(frame));
            }

            @Override
            public NodeRuntime runtime() {
                return runtime;
            }
        };
    }
}
