package dev.meshkit.core.defence;

import dev.meshkit.api.NodeId;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.function.BooleanSupplier;

/**
 * The proof of work a listener asks of a dialler before it signs or agrees keys for it: a nonce such
 * that SHA-256 over a label, the listener's seed, the dialler's hello challenge, the dialler's id and
 * the nonce begins with {@code bits} zero bits. The seed is random and fresh for each connection and
 * the hash covers who answers, so an answer can be neither computed ahead nor used twice. Checking
 * costs one hash; solving costs 2^bits on average.
 */
public final class Puzzle {
    /** Bytes of a seed. */
    public static final int SEED_BYTES = 16;
    private static final byte[] LABEL = "meshkit/work/v1".getBytes(StandardCharsets.US_ASCII);
    private static final int NONCE_BYTES = 8;

    private Puzzle() {
    }

    /** True if {@code nonce} answers the puzzle. */
    public static boolean solved(byte[] seed, byte[] challenge, NodeId dialler, byte[] nonce, int bits) {
        if (nonce.length != NONCE_BYTES) {
            return false;
        }
        MessageDigest d = prefix(seed, challenge, dialler);
        d.update(nonce);
        return leadingZeros(d.digest()) >= bits;
    }

    /**
     * A nonce that answers the puzzle, found in about 2^bits hashes; or null once {@code cancelled}
     * says the answer is no longer wanted (asked every few thousand hashes).
     */
    public static byte[] solve(byte[] seed, byte[] challenge, NodeId dialler, int bits, BooleanSupplier cancelled) {
        MessageDigest prefix = prefix(seed, challenge, dialler);
        byte[] nonce = new byte[NONCE_BYTES];
        for (long n = 0; ; n++) {
            if ((n & 4095) == 4095 && cancelled.getAsBoolean()) {
                return null;
            }
            for (int i = 0; i < NONCE_BYTES; i++) {
                nonce[i] = (byte) (n >>> (56 - 8 * i));
            }
            MessageDigest d;
            try {
                d = (MessageDigest) prefix.clone();
            } catch (CloneNotSupportedException e) {
                throw new IllegalStateException("SHA-256 cannot be cloned", e);
            }
            d.update(nonce);
            if (leadingZeros(d.digest()) >= bits) {
                return nonce;
            }
        }
    }

    /**
     * The bits to ask for: {@code minBits} when no handshake is under way, rising in proportion to
     * the handshakes under way up to {@code maxBits} when every slot is taken; a suspicious dialler
     * gets four bits more (16 times the work).
     */
    public static int bits(int minBits, int maxBits, int handshakes, int slots, boolean suspicious) {
        double load = Math.min(1.0, handshakes / (double) Math.max(1, slots));
        int bits = minBits + (int) Math.ceil((maxBits - minBits) * load);
        return Math.min(maxBits, suspicious ? bits + 4 : bits);
    }

    private static MessageDigest prefix(byte[] seed, byte[] challenge, NodeId dialler) {
        MessageDigest d;
        try {
            d = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing", e);
        }
        d.update(LABEL);
        d.update(seed);
        d.update(challenge);
        d.update(dialler.bytes());
        return d;
    }

    private static int leadingZeros(byte[] hash) {
        int zeros = 0;
        for (byte b : hash) {
            if (b != 0) {
                return zeros + Integer.numberOfLeadingZeros(b & 0xFF) - 24;
            }
            zeros += 8;
        }
        return zeros;
    }
}
