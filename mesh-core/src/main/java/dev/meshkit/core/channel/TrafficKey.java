package dev.meshkit.core.channel;

import java.util.Arrays;
import javax.crypto.spec.SecretKeySpec;

/**
 * One direction's key for one epoch. Each epoch's secret is derived one-way from the last, which is
 * then erased: a key taken from memory opens neither earlier records nor those of the other direction.
 */
final class TrafficKey {
    static final int SECRET_BYTES = 32;
    static final int IV_BYTES = 12;

    final int epoch;
    final SecretKeySpec key;
    private final byte[] iv;
    private final byte[] secret;

    private TrafficKey(int epoch, byte[] secret) {
        this.epoch = epoch;
        this.secret = secret;
        byte[] k = Hkdf.expand(secret, "meshkit/v1 record key", new byte[0], 32);
        this.key = new SecretKeySpec(k, "AES");
        Arrays.fill(k, (byte) 0);
        this.iv = Hkdf.expand(secret, "meshkit/v1 record iv", new byte[0], IV_BYTES);
    }

    /** Epoch 0 from a traffic secret, which this key takes over (and erases when it moves on). */
    static TrafficKey first(byte[] secret) {
        return new TrafficKey(0, secret);
    }

    /** The next epoch's key; this one's secret is erased. */
    TrafficKey next() {
        byte[] n = Hkdf.expand(secret, "meshkit/v1 next secret", new byte[0], SECRET_BYTES);
        erase();
        return new TrafficKey(epoch + 1, n);
    }

    /** The record nonce: the IV with the sequence number XORed into its last 8 bytes (as TLS 1.3). */
    byte[] nonce(long sequence) {
        byte[] n = iv.clone();
        for (int i = 0; i < 8; i++) {
            n[IV_BYTES - 1 - i] ^= (byte) (sequence >>> (8 * i));
        }
        return n;
    }

    void erase() {
        Arrays.fill(secret, (byte) 0);
    }
}
