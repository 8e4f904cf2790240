package dev.meshkit.core.channel;

import dev.meshkit.api.spi.ChannelException;
import dev.meshkit.api.spi.ChannelException.Problem;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
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

    /**
     * Authenticates and decrypts {@code record}, whose header says it has {@code sequence}.
     *
     * @throws ChannelException {@code TAMPERED} if it fails authentication
     */
    byte[] open(Cipher cipher, byte[] record, long sequence) throws ChannelException {
        try {
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, nonce(sequence)));
            cipher.updateAAD(record, 0, Records.HEADER_BYTES);
            return cipher.doFinal(record, Records.HEADER_BYTES, record.length - Records.HEADER_BYTES);
        } catch (AEADBadTagException e) {
            throw new ChannelException(Problem.TAMPERED, "record " + sequence + " fails authentication");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM failed on a well-formed record", e);
        }
    }

    void erase() {
        Arrays.fill(secret, (byte) 0);
    }
}
