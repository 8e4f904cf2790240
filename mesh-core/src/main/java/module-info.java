/**
 * The node runtime behind {@code Mesh.builder()}: event loop, handshake, peer table and peer
 * exchange, keepalive, reconnect backoff, flood broadcast with dedup, link encryption (the key
 * schedule and record layer every suite shares, and the built-in X25519 suite), the built-in Ed25519 identity,
 * the binary and JSON codecs and the in-memory transport.
 */
module dev.meshkit.core {
    requires transitive dev.meshkit.api;
    requires com.google.gson;
    requires org.bouncycastle.provider;
    requires org.slf4j;

    // Public helpers: key files, the in-memory network, the default runtime.
    exports dev.meshkit.core;

    uses dev.meshkit.api.spi.TransportProvider;
    uses dev.meshkit.api.spi.IdentityScheme;
    uses dev.meshkit.api.spi.CodecProvider;
    uses dev.meshkit.api.spi.TrustPolicyProvider;
    uses dev.meshkit.api.spi.RouterProvider;
    uses dev.meshkit.api.spi.SecureChannelProvider;

    provides dev.meshkit.api.spi.MeshNodeFactory with dev.meshkit.core.node.CoreNodeFactory;
    provides dev.meshkit.api.spi.IdentityScheme with dev.meshkit.core.identity.Ed25519Scheme;
    provides dev.meshkit.api.spi.CodecProvider with dev.meshkit.core.codec.BinaryCodecProvider,
            dev.meshkit.core.codec.JsonCodecProvider;
    provides dev.meshkit.api.spi.TrustPolicyProvider with dev.meshkit.core.trust.OpenTrustPolicyProvider;
    provides dev.meshkit.api.spi.RouterProvider with dev.meshkit.core.routing.NeighbourRouterProvider;
    provides dev.meshkit.api.spi.SecureChannelProvider with dev.meshkit.core.channel.X25519ChannelProvider;
}
