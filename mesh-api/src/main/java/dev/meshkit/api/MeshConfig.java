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
import java.util.List;

/**
 * Everything a node is built from. Made by {@link MeshBuilder}; read by the node runtime.
 *
 * @param network             network id; nodes of different networks refuse each other
 * @param listen              where to listen (port 0 picks a free port)
 * @param advertise           endpoint to tell peers instead of the bound one, or {@code null}
 * @param seeds               endpoints to join through, as text: bad ones are logged and skipped
 * @param maxPeers            neighbours at most
 * @param keepalive           ping interval and dead-peer timeout
 * @param reconnect           backoff when a link to a peer is lost
 * @param peerExchangeInterval how often to ask a neighbour for peers
 * @param handshakeTimeout    how long a handshake may take
 * @param gossip              broadcast settings
 * @param channel             link encryption settings
 * @param frameLimits         decoding limits
 * @param defences            rate limits, replay and Sybil defences, peer scoring
 * @param transportOptions    per-connection transport limits
 * @param maxCandidates       known-but-unconnected endpoints kept at most; an endpoint is forgotten
 *                            after {@code reconnect.maxAttempts()} failed dials in a row
 * @param identityScheme      signature scheme name, or {@code null} for the highest-priority one
 * @param keys                the node's keys, or {@code null} to load {@code keyFile} or generate
 * @param keyFile             where keys are loaded from or saved to, or {@code null} to keep them in memory
 * @param runtime             the node's event loop and clock, or {@code null} for a new thread
 * @param transports          transports to use in addition to (and before) the providers found
 * @param trustPolicy         the trust policy, or {@code null} for the highest-priority provider
 * @param codec               codec name, or {@code null} for the highest-priority provider
 * @param router              router name, or {@code null} for the highest-priority provider
 * @param routerProvider      the router's provider, used instead of one found by name or priority;
 *                            or {@code null}
 * @param discoveries         discoveries to run
 * @param extensions          extensions to run
 */
public record MeshConfig(String network, List<Endpoint> listen, Endpoint advertise, List<String> seeds, int maxPeers,
                         Keepalive keepalive, Backoff reconnect, Duration peerExchangeInterval,
                         Duration handshakeTimeout, GossipSettings gossip, ChannelSettings channel, FrameLimits frameLimits,
                         DefenceSettings defences,
                         TransportOptions transportOptions, int maxCandidates,
                         String identityScheme, KeyMaterial keys, Path keyFile, NodeRuntime runtime,
                         List<Transport> transports, TrustPolicy trustPolicy, String codec, String router,
                         RouterProvider routerProvider,
                         List<Discovery> discoveries, List<MeshExtension> extensions) {

    /** Copies the lists and checks the values. */
    public MeshConfig {
        listen = List.copyOf(listen);
        seeds = List.copyOf(seeds);
        transports = List.copyOf(transports);
        discoveries = List.copyOf(discoveries);
        extensions = List.copyOf(extensions);
        requireConfig(network != null && network.matches("[A-Za-z0-9._:-]{1,64}"),
                "network id must be 1-64 characters of [A-Za-z0-9._:-]");
        requireConfig(maxPeers >= 1 && maxPeers <= 10_000, "maxPeers must be 1..10000");
        requireConfig(maxCandidates >= 1 && maxCandidates <= 100_000, "maxCandidates must be 1..100000");
        requireConfig(positive(peerExchangeInterval) && positive(handshakeTimeout),
                "intervals and timeouts must be positive");
        requireConfig(keepalive != null && reconnect != null && gossip != null && frameLimits != null
                && transportOptions != null && channel != null && defences != null, "settings must not be null");
        requireConfig(transportOptions.maxFrameBytes() >= frameLimits.maxFrameBytes(),
                "transport frame limit is below the codec's");
    }

    private static boolean positive(Duration d) {
        return d != null && !d.isNegative() && !d.isZero();
    }

    private static void requireConfig(boolean ok, String problem) {
        if (!ok) {
            throw new MeshException(ErrorCode.INVALID_CONFIG, problem);
        }
    }
}
