/**
 * Post-quantum cryptography for MeshKit. On a node's module path (or class path) it makes the
 * node's identity ML-DSA-65 (FIPS 204) and its links hybrid X25519 + ML-KEM-768 (FIPS 203): both
 * outrank the built-in Ed25519 identity and X25519 suite, so nothing else needs to change.
 */
module dev.meshkit.crypto.pqc {
    requires transitive dev.meshkit.api;
    requires org.bouncycastle.provider;
    requires org.slf4j;

    exports dev.meshkit.crypto.pqc;

    provides dev.meshkit.api.spi.IdentityScheme with dev.meshkit.crypto.pqc.MlDsa65Scheme;
    provides dev.meshkit.api.spi.SecureChannelProvider with dev.meshkit.crypto.pqc.HybridChannelProvider;
}
