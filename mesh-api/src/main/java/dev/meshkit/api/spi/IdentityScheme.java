package dev.meshkit.api.spi;

import java.security.SecureRandom;

/** A signature algorithm nodes can use as their identity, such as Ed25519 or ML-DSA-65. */
public interface IdentityScheme {
    /** Stable name used on the wire and in key files, e.g. {@code ed25519}. */
    String name();

    /** Higher wins when the builder names no scheme. */
    default int priority() {
        return 0;
    }

    /** True if signatures resist a quantum computer. */
    default boolean postQuantum() {
        return false;
    }

    /** A fresh key pair. */
    KeyMaterial generate(SecureRandom random);

    /**
     * A signer for the private key.
     *
     * @throws IllegalArgumentException if the key is malformed or belongs to another scheme
     */
    Signer signer(KeyMaterial keys);

    /**
     * A verifier for an encoded public key.
     *
     * @throws IllegalArgumentException if the key is malformed
     */
    Verifier verifier(byte[] publicKey);
}
