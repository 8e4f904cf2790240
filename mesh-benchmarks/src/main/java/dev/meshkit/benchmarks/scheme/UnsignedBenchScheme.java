package dev.meshkit.benchmarks.scheme;

import dev.meshkit.api.spi.IdentityScheme;
import dev.meshkit.api.spi.KeyMaterial;
import dev.meshkit.api.spi.Signer;
import dev.meshkit.api.spi.Verifier;
import java.security.SecureRandom;
import java.util.Objects;

/**
 * A MEASUREMENT DEVICE, NOT A PRODUCT FEATURE: an identity scheme that signs nothing, so a scenario can
 * measure a node's relay path (decode, hash, dedup, forward, encode, transport) without the cost of
 * signatures.
 *
 * <p>Its signatures are empty and its verifier accepts exactly the empty signature, so anyone can forge
 * any message under it. It exists only in {@code mesh-benchmarks}, is never chosen by default (its
 * priority is the lowest possible, so a builder that names no scheme still gets {@code ed25519}), and
 * a node uses it only when told {@code .identityScheme("unsigned-bench")}. Because a node refuses
 * peers of another scheme, a benchmark node can never join a real network by accident either.
 *
 * <p>Keys are 32 random bytes used as the "public key" (so node ids stay distinct) and the same bytes
 * as the "private key"; neither proves anything.
 */
public final class UnsignedBenchScheme implements IdentityScheme {
    /** The scheme name to pass to {@code MeshBuilder.identityScheme}. */
    public static final String NAME = "unsigned-bench";
    private static final byte[] EMPTY = new byte[0];
    private static final Verifier ACCEPT_EMPTY = (data, signature) -> signature != null && signature.length == 0;

    /** Called by {@link java.util.ServiceLoader}. */
    public UnsignedBenchScheme() {
    }

    @Override
    public String name() {
        return NAME;
    }

    /** Lowest possible: never picked unless named. */
    @Override
    public int priority() {
        return Integer.MIN_VALUE;
    }

    @Override
    public KeyMaterial generate(SecureRandom random) {
        Objects.requireNonNull(random, "random");
        byte[] key = new byte[32];
        random.nextBytes(key);
        return new KeyMaterial(NAME, key, key.clone());
    }

    @Override
    public Signer signer(KeyMaterial keys) {
        Objects.requireNonNull(keys, "keys");
        if (!NAME.equalsIgnoreCase(keys.scheme())) {
            throw new IllegalArgumentException("not an " + NAME + " key pair: " + keys.scheme());
        }
        return data -> EMPTY;
    }

    @Override
    public Verifier verifier(byte[] publicKey) {
        if (publicKey == null || publicKey.length == 0) {
            throw new IllegalArgumentException(NAME + " public key must not be empty");
        }
        return ACCEPT_EMPTY;
    }

    @Override
    public String toString() {
        return "UnsignedBenchScheme (measurement only)";
    }
}
