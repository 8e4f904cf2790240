package dev.meshkit.crypto.pqc;

import dev.meshkit.api.NodeId;
import dev.meshkit.api.spi.IdentityScheme;
import dev.meshkit.api.spi.KeyMaterial;
import dev.meshkit.api.spi.Signer;
import dev.meshkit.api.spi.Verifier;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;
import org.bouncycastle.crypto.params.MLDSAParameters;
import org.bouncycastle.crypto.params.MLDSAPrivateKeyParameters;
import org.bouncycastle.crypto.params.MLDSAPublicKeyParameters;

/**
 * ML-DSA-65 (FIPS 204, pure mode, empty context) as a MeshKit identity, on Bouncy Castle's
 * lightweight API.
 *
 * <p>Keys: the public key is its 1,952-byte FIPS 204 encoding, the private key the 32-byte seed
 * the key pair is derived from (the smallest form FIPS 204 allows, and the one that cannot hold an
 * inconsistent expanded key). A node id is the SHA-256 of the encoded public key. Signatures are
 * 3,309 bytes and hedged: each mixes fresh randomness into the signing nonce, as FIPS 204
 * recommends against fault and side-channel attacks.
 *
 * <p>Signing and verifying run on the JDK's own ML-DSA where the JDK has it (24 and later), else on
 * Bouncy Castle; the system property {@value PqcEngines#PROPERTY} ({@code jdk} or {@code bc}) forces
 * one. The choice is logged once. Both make and accept the same signatures: the tests check each
 * verifies the other's.
 *
 * <p>It outranks the built-in Ed25519 ({@link #priority()}), so a node whose builder names no
 * scheme becomes post-quantum as soon as this module is present. Nodes only accept peers of their
 * own scheme.
 */
public final class MlDsa65Scheme implements IdentityScheme {
    /** The scheme name on the wire and in key files. */
    public static final String NAME = "ml-dsa-65";
    /** Bytes in an encoded public key. */
    public static final int PUBLIC_KEY_BYTES = 1952;
    /** Bytes in a private key (the seed). */
    public static final int SEED_BYTES = 32;
    /** Bytes in a signature. */
    public static final int SIGNATURE_BYTES = 3309;
    private static final int PRIORITY = 100;
    private static final MLDSAParameters PARAMETERS = MLDSAParameters.ml_dsa_65;

    private final MlDsaEngine engine;

    /** Called by {@link java.util.ServiceLoader}; uses the engine chosen for this JVM. */
    public MlDsa65Scheme() {
        this(PqcEngines.chosen().mlDsa());
    }

    MlDsa65Scheme(MlDsaEngine engine) {
        this.engine = engine;
    }

    /** Which implementation signs and verifies: {@code jdk} or {@code bc}. */
    public String engine() {
        return engine.name();
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean postQuantum() {
        return true;
    }

    @Override
    public int priority() {
        return PRIORITY;
    }

    @Override
    public KeyMaterial generate(SecureRandom random) {
        Objects.requireNonNull(random, "random");
        byte[] seed = new byte[SEED_BYTES];
        random.nextBytes(seed);
        MLDSAPrivateKeyParameters key = new MLDSAPrivateKeyParameters(PARAMETERS, seed);
        return new KeyMaterial(NAME, key.getPublicKey(), seed);
    }

    /**
     * {@inheritDoc}
     *
     * <p>Also refuses a pair whose public key is not the one the seed derives: its signatures would
     * verify under no key, and its node id would name someone else.
     */
    @Override
    public Signer signer(KeyMaterial keys) {
        Objects.requireNonNull(keys, "keys");
        if (!NAME.equalsIgnoreCase(keys.scheme())) {
            throw new IllegalArgumentException("not an " + NAME + " key pair: " + keys.scheme());
        }
        byte[] seed = keys.privateKey();
        if (seed == null || seed.length != SEED_BYTES) {
            throw new IllegalArgumentException(NAME + " private key must be a " + SEED_BYTES + "-byte seed");
        }
        // Copy: the caller still owns keys.privateKey() and may wipe or reuse it.
        MLDSAPrivateKeyParameters key = new MLDSAPrivateKeyParameters(PARAMETERS, seed.clone());
        if (!Arrays.equals(key.getPublicKey(), keys.publicKey())) {
            throw new IllegalArgumentException(NAME + " public key does not belong to the private key");
        }
        return engine.signer(key);
    }

    @Override
    public Verifier verifier(byte[] publicKey) {
        if (publicKey == null || publicKey.length != PUBLIC_KEY_BYTES) {
            throw new IllegalArgumentException(NAME + " public key must be " + PUBLIC_KEY_BYTES + " bytes");
        }
        MLDSAPublicKeyParameters key;
        try {
            key = new MLDSAPublicKeyParameters(PARAMETERS, publicKey.clone());
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not a valid " + NAME + " public key", e);
        }
        return engine.verifier(key, NodeId.ofPublicKey(publicKey));
    }

    @Override
    public String toString() {
        return "MlDsa65Scheme";
    }
}
