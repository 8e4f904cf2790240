package dev.meshkit.core.identity;

import dev.meshkit.api.NodeId;
import dev.meshkit.api.spi.IdentityScheme;
import dev.meshkit.api.spi.KeyMaterial;
import dev.meshkit.api.spi.Signer;
import dev.meshkit.api.spi.Verifier;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * Ed25519 (RFC 8032, pure mode, no context) as a MeshKit identity: the built-in default scheme.
 *
 * <p>Keys travel in their raw RFC 8032 encodings: the public key is the 32-byte compressed point, the
 * private key the 32-byte seed. A node id is the SHA-256 of those 32 public-key bytes.
 *
 * <p>Works on Bouncy Castle's low-level RFC 8032 functions rather than its {@code Ed25519Signer}: those
 * functions keep no state between calls, so one {@link Signer} or {@link Verifier} can serve every
 * thread without locks or per-call objects, and the verifier decodes its public point once instead of
 * per signature. No JCA provider is registered.
 */
public final class Ed25519Scheme implements IdentityScheme {
    /** The scheme name on the wire and in key files. */
    public static final String NAME = "ed25519";
    /** Bytes in a public key and in a private key (seed). */
    public static final int KEY_BYTES = 32;
    /** Bytes in a signature. */
    public static final int SIGNATURE_BYTES = 64;

    /** Called by {@link java.util.ServiceLoader}. */
    public Ed25519Scheme() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int priority() {
        return 0;
    }

    @Override
    public KeyMaterial generate(SecureRandom random) {
        Objects.requireNonNull(random, "random");
        byte[] seed = new byte[KEY_BYTES];
        random.nextBytes(seed);
        return new KeyMaterial(NAME, publicKeyOf(seed), seed);
    }

    /**
     * {@inheritDoc}
     *
     * <p>Also refuses a pair whose public key is not the one the seed derives: signing with it would
     * produce signatures that verify under no key, and the pair's node id would name someone else.
     */
    @Override
    public Signer signer(KeyMaterial keys) {
        Objects.requireNonNull(keys, "keys");
        if (!NAME.equalsIgnoreCase(keys.scheme())) {
            throw new IllegalArgumentException("not an " + NAME + " key pair: " + keys.scheme());
        }
        byte[] seed = keys.privateKey();
        if (seed == null || seed.length != KEY_BYTES) {
            throw new IllegalArgumentException(NAME + " private key must be " + KEY_BYTES + " bytes");
        }
        byte[] publicKey = publicKeyOf(seed);
        if (!Arrays.equals(publicKey, keys.publicKey())) {
            throw new IllegalArgumentException(NAME + " public key does not belong to the private key");
        }
        // Copy: the caller still owns keys.privateKey() and may wipe or reuse it.
        return new Ed25519Signing(seed.clone(), publicKey);
    }

    /**
     * {@inheritDoc}
     *
     * <p>Refuses keys that are not 32 bytes, do not decode to a curve point, or whose point is outside
     * the prime-order subgroup (this includes the small-order points). Such a key has no private key
     * behind it that anyone could own, yet some signatures would verify under it, so whoever claims its
     * node id could do so without proof. Full validation costs about one verification, paid once per
     * key since verifiers are built once and reused.
     */
    @Override
    public Verifier verifier(byte[] publicKey) {
        if (publicKey == null || publicKey.length != KEY_BYTES) {
            throw new IllegalArgumentException(NAME + " public key must be " + KEY_BYTES + " bytes");
        }
        Ed25519.PublicPoint point = Ed25519.validatePublicKeyFullExport(publicKey, 0);
        if (point == null) {
            throw new IllegalArgumentException("not a valid " + NAME + " public key");
        }
        return new Ed25519Verification(point, NodeId.ofPublicKey(publicKey));
    }

    private static byte[] publicKeyOf(byte[] seed) {
        byte[] publicKey = new byte[KEY_BYTES];
        Ed25519.generatePublicKey(seed, 0, publicKey, 0);
        return publicKey;
    }

    @Override
    public String toString() {
        return "Ed25519Scheme";
    }

    /** Signs with one seed; immutable, so shared freely across threads. */
    private static final class Ed25519Signing implements Signer {
        private final byte[] seed;
        private final byte[] publicKey;

        Ed25519Signing(byte[] seed, byte[] publicKey) {
            this.seed = seed;
            this.publicKey = publicKey;
        }

        @Override
        public byte[] sign(byte[] data) {
            Objects.requireNonNull(data, "data");
            byte[] signature = new byte[SIGNATURE_BYTES];
            // Passing the public key saves re-deriving it (a scalar multiplication) on every call.
            Ed25519.sign(seed, 0, publicKey, 0, data, 0, data.length, signature, 0);
            return signature;
        }

        @Override
        public String toString() {
            // Never the seed.
            return "Ed25519 signer for " + NodeId.ofPublicKey(publicKey).shortForm();
        }
    }

    /** Verifies against one pre-decoded point; the point is only read, so any thread may verify. */
    private static final class Ed25519Verification implements Verifier {
        private final Ed25519.PublicPoint point;
        private final NodeId id;

        Ed25519Verification(Ed25519.PublicPoint point, NodeId id) {
            this.point = point;
            this.id = id;
        }

        @Override
        public boolean verify(byte[] data, byte[] signature) {
            // Bouncy Castle reads 64 bytes without checking; a short signature would throw.
            if (data == null || signature == null || signature.length != SIGNATURE_BYTES) {
                return false;
            }
            try {
                return Ed25519.verify(signature, 0, point, data, 0, data.length);
            } catch (RuntimeException e) {
                // The contract is "false for any malformed input"; a throw would drop a link, not a frame.
                return false;
            }
        }

        @Override
        public String toString() {
            return "Ed25519 verifier for " + id.shortForm();
        }
    }
}
