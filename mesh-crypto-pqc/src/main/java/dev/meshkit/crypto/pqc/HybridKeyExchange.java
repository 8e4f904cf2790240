package dev.meshkit.crypto.pqc;

import dev.meshkit.api.spi.ChannelException;
import dev.meshkit.api.spi.ChannelException.Problem;
import dev.meshkit.api.spi.KeyExchange;
import java.security.SecureRandom;
import java.util.Arrays;
import org.bouncycastle.math.ec.rfc7748.X25519;

/**
 * X25519 and ML-KEM-768 (FIPS 203) together: the link stays secret while either holds, X25519
 * against a flaw in the young lattice scheme, ML-KEM against a quantum computer. The dialler's share
 * is its X25519 public key and a fresh ML-KEM encapsulation key; the listener's, its X25519 public
 * key and the ML-KEM ciphertext. The secret is the ML-KEM secret followed by the X25519 one; the node
 * binds both shares into the key schedule through the signed transcript. ML-KEM runs on the engine
 * the provider hands in; the shares are the same bytes whichever engine each side runs.
 */
final class HybridKeyExchange implements KeyExchange {
    static final int X25519_BYTES = X25519.POINT_SIZE;
    static final int OFFER_BYTES = X25519_BYTES + MlKemEngine.ENCAPSULATION_KEY_BYTES;
    static final int ANSWER_BYTES = X25519_BYTES + MlKemEngine.CIPHERTEXT_BYTES;

    private final MlKemEngine kem;
    private final SecureRandom random;
    private final byte[] xPrivate = new byte[X25519.SCALAR_SIZE];
    private final byte[] xPublic = new byte[X25519.POINT_SIZE];
    private MlKemEngine.DecapsulationKey kemPrivate;
    private byte[] secret;

    HybridKeyExchange(MlKemEngine kem, SecureRandom random) {
        this.kem = kem;
        this.random = random;
        X25519.generatePrivateKey(random, xPrivate);
        X25519.generatePublicKey(xPrivate, 0, xPublic, 0);
    }

    @Override
    public byte[] offer() {
        kemPrivate = kem.generate(random);
        return concat(xPublic, kemPrivate.encapsulationKey());
    }

    @Override
    public byte[] answer(byte[] offer) throws ChannelException {
        if (offer.length != OFFER_BYTES) {
            throw new ChannelException(Problem.MALFORMED, "a hybrid offer is " + OFFER_BYTES + " bytes, not "
                    + offer.length);
        }
        byte[] x = agree(offer);
        MlKemEngine.Encapsulation encapsulation;
        try {
            encapsulation = kem.encapsulate(Arrays.copyOfRange(offer, X25519_BYTES, OFFER_BYTES), random);
        } catch (IllegalArgumentException e) {
            // FIPS 203 section 7.2: among others, a key whose coefficients are not reduced is refused.
            Arrays.fill(x, (byte) 0);
            throw new ChannelException(Problem.MALFORMED, "unusable ML-KEM encapsulation key: " + e.getMessage());
        }
        byte[] k = encapsulation.secret();
        secret = concat(k, x);
        Arrays.fill(k, (byte) 0);
        Arrays.fill(x, (byte) 0);
        return concat(xPublic, encapsulation.ciphertext());
    }

    @Override
    public void finish(byte[] answer) throws ChannelException {
        if (kemPrivate == null) {
            throw new IllegalStateException("finish before offer");
        }
        if (answer.length != ANSWER_BYTES) {
            throw new ChannelException(Problem.MALFORMED, "a hybrid answer is " + ANSWER_BYTES + " bytes, not "
                    + answer.length);
        }
        byte[] x = agree(answer);
        // ML-KEM decapsulation never fails: a bad ciphertext yields an unrelated secret (implicit
        // rejection), which the key confirmation then catches.
        byte[] k = kemPrivate.decapsulate(Arrays.copyOfRange(answer, X25519_BYTES, ANSWER_BYTES));
        secret = concat(k, x);
        Arrays.fill(k, (byte) 0);
        Arrays.fill(x, (byte) 0);
    }

    private byte[] agree(byte[] share) throws ChannelException {
        byte[] x = new byte[X25519.POINT_SIZE];
        if (!X25519.calculateAgreement(xPrivate, 0, share, 0, x, 0)) {
            throw new ChannelException(Problem.MALFORMED, "X25519 share is a low-order point");
        }
        return x;
    }

    @Override
    public byte[] secret() {
        if (secret == null) {
            throw new IllegalStateException("no secret agreed yet");
        }
        return secret;
    }

    @Override
    public void close() {
        Arrays.fill(xPrivate, (byte) 0);
        if (secret != null) {
            Arrays.fill(secret, (byte) 0);
        }
        if (kemPrivate != null) {
            kemPrivate.destroy();
            kemPrivate = null;
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
