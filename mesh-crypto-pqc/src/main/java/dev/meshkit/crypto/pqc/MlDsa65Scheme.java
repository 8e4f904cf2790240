package dev.meshkit.crypto.pqc;

import dev.meshkit.api.NodeId;
import dev.meshkit.api.spi.IdentityScheme;
import dev.meshkit.api.spi.KeyMaterial;
import dev.meshkit.api.spi.Signer;
import dev.meshkit.api.spi.Verifier;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;
import org.bouncycastle.crypto.CryptoException;
import org.bouncycastle.crypto.params.MLDSAParameters;
import org.bouncycastle.crypto.params.MLDSAPrivateKeyParameters;
import org.bouncycastle.crypto.params.MLDSAPublicKeyParameters;
import org.bouncycastle.crypto.params.ParametersWithRandom;
import org.bouncycastle.crypto.signers.MLDSASigner;

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

    /** Called by {@link java.util.ServiceLoader}. */
    public MlDsa65Scheme() {
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
        return new Signing(key);
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
        return new Verification(key, NodeId.ofPublicKey(publicKey));
    }

    @Override
    public String toString() {
        return "MlDsa65Scheme";
    }

    /**
     * Signs with one key. Bouncy Castle's signer keeps per-message state, so each signature gets its
     * own; the key itself is only read, so any thread may sign.
     */
    private static final class Signing implements Signer {
        private final MLDSAPrivateKeyParameters key;
        private final SecureRandom random = new SecureRandom();

        Signing(MLDSAPrivateKeyParameters key) {
            this.key = key;
        }

        @Override
        public byte[] sign(byte[] data) {
            Objects.requireNonNull(data, "data");
            MLDSASigner s = new MLDSASigner();
            s.init(true, new ParametersWithRandom(key, random));
            s.update(data, 0, data.length);
            try {
                return s.generateSignature();
            } catch (CryptoException e) {
                throw new IllegalStateException(NAME + " signing failed", e);
            }
        }

        @Override
        public String toString() {
            // Never the seed.
            return "ML-DSA-65 signer for " + NodeId.ofPublicKey(key.getPublicKey()).shortForm();
        }
    }

    /** Verifies against one public key; the key is only read, so any thread may verify. */
    private static final class Verification implements Verifier {
        private final MLDSAPublicKeyParameters key;
        private final NodeId id;

        Verification(MLDSAPublicKeyParameters key, NodeId id) {
            this.key = key;
            this.id = id;
        }

        @Override
        public boolean verify(byte[] data, byte[] signature) {
            if (data == null || signature == null || signature.length != SIGNATURE_BYTES) {
                return false;
            }
            try {
                MLDSASigner s = new MLDSASigner();
                s.init(false, key);
                s.update(data, 0, data.length);
                return s.verifySignature(signature);
            } catch (RuntimeException e) {
                // The contract is "false for any malformed input"; a throw would drop a link, not a frame.
                return false;
            }
        }

        @Override
        public String toString() {
            return "ML-DSA-65 verifier for " + id.shortForm();
        }
    }
}
