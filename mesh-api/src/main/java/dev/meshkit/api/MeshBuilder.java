package dev.meshkit.api;

import dev.meshkit.api.spi.Discovery;
import dev.meshkit.api.spi.KeyMaterial;
import dev.meshkit.api.spi.MeshExtension;
import dev.meshkit.api.spi.NodeRuntime;
import dev.meshkit.api.spi.RouterProvider;
import dev.meshkit.api.spi.Transport;
import dev.meshkit.api.spi.TransportOptions;
import dev.meshkit.api.spi.TrustPolicy;
import dev.meshkit.api.wire.FrameLimits;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Collects a node's options; {@link #build()} makes the node. Not thread-safe. Every option has a
 * default, so {@code Mesh.builder().listen("ws://127.0.0.1:0").build()} is a working node.
 */
public final class MeshBuilder {
    private String network = "meshkit";
    private final List<Endpoint> listen = new ArrayList<>();
    private Endpoint advertise;
    private final List<String> seeds = new ArrayList<>();
    private int maxPeers = 10;
    private Keepalive keepalive = Keepalive.defaults();
    private Backoff reconnect = Backoff.defaults();
    private Duration peerExchangeInterval = Duration.ofSeconds(10);
    private Duration handshakeTimeout = Duration.ofSeconds(10);
    private GossipSettings gossip = GossipSettings.defaults();
    private ChannelSettings channel = ChannelSettings.defaults();
    private FrameLimits frameLimits = FrameLimits.defaults();
    private DefenceSettings defences = DefenceSettings.defaults();
    private TransportOptions transportOptions = TransportOptions.defaults();
    private int maxCandidates = 256;
    private String identityScheme;
    private KeyMaterial keys;
    private Path keyFile;
    private NodeRuntime runtime;
    private final List<Transport> transports = new ArrayList<>();
    private TrustPolicy trustPolicy;
    private String codec;
    private String router;
    private RouterProvider routerProvider;
    private final List<Discovery> discoveries = new ArrayList<>();
    private final List<MeshExtension> extensions = new ArrayList<>();

    MeshBuilder() {
    }

    /** Network id (default {@code meshkit}); nodes of different networks refuse each other. */
    public MeshBuilder network(String id) {
        this.network = id;
        return this;
    }

    /** Adds an endpoint to listen on, e.g. {@code ws://0.0.0.0:9001} or {@code mem://alice}. */
    public MeshBuilder listen(String endpoint) {
        return listen(Endpoint.parse(endpoint));
    }

    /** Adds an endpoint to listen on. */
    public MeshBuilder listen(Endpoint endpoint) {
        listen.add(Objects.requireNonNull(endpoint));
        return this;
    }

    /** The endpoint peers should dial, when it differs from the bound one (NAT, proxy, wildcard). */
    public MeshBuilder advertise(String endpoint) {
        this.advertise = Endpoint.parse(endpoint);
        return this;
    }

    /** Adds a seed to join through; a bad text is logged and skipped at start, not thrown here. */
    public MeshBuilder seed(String endpoint) {
        seeds.add(Objects.requireNonNull(endpoint));
        return this;
    }

    /** Adds seeds. */
    public MeshBuilder seeds(List<String> endpoints) {
        endpoints.forEach(this::seed);
        return this;
    }

    /** Neighbours at most (default 10). */
    public MeshBuilder maxPeers(int n) {
        this.maxPeers = n;
        return this;
    }

    /** Ping interval and dead-peer timeout (default 30 s / 90 s). */
    public MeshBuilder keepalive(Duration interval, Duration deadAfter) {
        this.keepalive = new Keepalive(interval, deadAfter);
        return this;
    }

    /** Reconnect backoff (default 1 s doubling to 60 s, 10 attempts). */
    public MeshBuilder reconnect(Backoff backoff) {
        this.reconnect = Objects.requireNonNull(backoff);
        return this;
    }

    /** How often to ask a neighbour for peers (default 10 s). */
    public MeshBuilder peerExchangeInterval(Duration interval) {
        this.peerExchangeInterval = interval;
        return this;
    }

    /** How long a handshake may take (default 10 s). */
    public MeshBuilder handshakeTimeout(Duration timeout) {
        this.handshakeTimeout = timeout;
        return this;
    }

    /** Broadcast settings: hop limit, dedup cache, dissemination ({@link GossipSettings#defaults()}). */
    public MeshBuilder gossip(GossipSettings settings) {
        this.gossip = Objects.requireNonNull(settings);
        return this;
    }

    /** Link encryption (default: every link encrypted with the strongest suite both ends have). */
    public MeshBuilder channel(ChannelSettings settings) {
        this.channel = Objects.requireNonNull(settings);
        return this;
    }

    /** Decoding limits (see {@link FrameLimits#defaults()}). */
    public MeshBuilder frameLimits(FrameLimits limits) {
        this.frameLimits = Objects.requireNonNull(limits);
        return this;
    }

    /** Rate limits, replay and Sybil defences and peer scoring (default {@link DefenceSettings#defaults()}). */
    public MeshBuilder defences(DefenceSettings settings) {
        this.defences = Objects.requireNonNull(settings, "settings");
        return this;
    }

    /** Transport limits (see {@link TransportOptions#defaults()}). */
    public MeshBuilder transportOptions(TransportOptions options) {
        this.transportOptions = Objects.requireNonNull(options);
        return this;
    }

    /** Known-but-unconnected endpoints kept at most (default 256). */
    public MeshBuilder maxCandidates(int max) {
        this.maxCandidates = max;
        return this;
    }

    /** Signature scheme by name, e.g. {@code ed25519}; default: the highest-priority one present. */
    public MeshBuilder identityScheme(String name) {
        this.identityScheme = name;
        return this;
    }

    /** The node's keys. */
    public MeshBuilder keys(KeyMaterial keyMaterial) {
        this.keys = keyMaterial;
        return this;
    }

    /** Loads keys from {@code file}, creating and saving new ones there if it does not exist. */
    public MeshBuilder keyFile(Path file) {
        this.keyFile = file;
        return this;
    }

    /** The event loop and clock to run on (a simulator passes a virtual one). */
    public MeshBuilder runtime(NodeRuntime nodeRuntime) {
        this.runtime = nodeRuntime;
        return this;
    }

    /** Adds a transport instance, used before the providers found on the module path. */
    public MeshBuilder transport(Transport transport) {
        transports.add(Objects.requireNonNull(transport));
        return this;
    }

    /** The trust policy; default: the highest-priority provider. */
    public MeshBuilder trustPolicy(TrustPolicy policy) {
        this.trustPolicy = policy;
        return this;
    }

    /** Codec by name, e.g. {@code json}. */
    public MeshBuilder codec(String name) {
        this.codec = name;
        return this;
    }

    /** Router by name. */
    public MeshBuilder router(String name) {
        this.router = name;
        return this;
    }

    /** The router's provider, used instead of the providers found on the module path. */
    public MeshBuilder router(RouterProvider provider) {
        this.routerProvider = Objects.requireNonNull(provider);
        return this;
    }

    /** Adds a discovery to run. */
    public MeshBuilder discovery(Discovery discovery) {
        discoveries.add(Objects.requireNonNull(discovery));
        return this;
    }

    /** Adds an extension to run. */
    public MeshBuilder extension(MeshExtension extension) {
        extensions.add(Objects.requireNonNull(extension));
        return this;
    }

    /**
     * The options as an immutable config.
     *
     * @throws MeshException {@code INVALID_CONFIG} when options are out of range
     */
    public MeshConfig config() {
        return new MeshConfig(network, listen, advertise, seeds, maxPeers, keepalive, reconnect, peerExchangeInterval,
                handshakeTimeout, gossip, channel, frameLimits, defences, transportOptions, maxCandidates,
                identityScheme, keys, keyFile, runtime, transports, trustPolicy, codec, router, routerProvider,
                discoveries, extensions);
    }

    /**
     * A new node, not yet started.
     *
     * @throws MeshException {@code INVALID_CONFIG}, or {@code MISSING_PROVIDER} without mesh-core
     */
    public MeshNode build() {
        return Mesh.create(config());
    }
}
