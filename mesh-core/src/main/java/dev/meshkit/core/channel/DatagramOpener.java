package dev.meshkit.core.channel;

import dev.meshkit.api.spi.ChannelException;
import dev.meshkit.api.spi.ChannelException.Problem;
import java.util.Arrays;
import javax.crypto.Cipher;

/**
 * Opens the records of an end-to-end session. They cross the mesh as separate messages, which may
 * take different paths, arrive out of order or not at all; so each sequence number is accepted once,
 * within a window of the {@value #WINDOW} numbers below the highest accepted (as IPsec and DTLS do).
 * A refused record is only dropped: unlike a link, the session goes on. A session has one key
 * epoch; it is replaced by a fresh key exchange rather than rekeyed. Not thread-safe.
 */
public final class DatagramOpener {
    /** How far below the highest accepted sequence number a record may still arrive. */
    public static final int WINDOW = 1024;
    private final Cipher cipher = RecordSealer.aesGcm();
    private final TrafficKey key;
    private final long[] seen = new long[WINDOW / Long.SIZE];
    private long highest = -1;

    DatagramOpener(byte[] trafficSecret) {
        this.key = TrafficKey.first(trafficSecret);
    }

    /**
     * The plaintext of {@code record}.
     *
     * @throws ChannelException {@code MALFORMED}, {@code REPLAYED} (seen before, or older than the
     *                          window) or {@code TAMPERED}
     */
    public byte[] open(byte[] record) throws ChannelException {
        if (record.length < Records.OVERHEAD || record[0] != Records.MARKER) {
            throw new ChannelException(Problem.MALFORMED, "not a record (" + record.length + " bytes)");
        }
        if (Records.epoch(record) != 0) {
            throw new ChannelException(Problem.MALFORMED, "an end-to-end record has key epoch 0, not "
                    + Records.epoch(record));
        }
        long sequence = Records.sequence(record);
        if (sequence < 0 || sequence <= highest - WINDOW) {
            throw new ChannelException(Problem.REPLAYED, "record " + sequence + " is older than the window (highest "
                    + highest + ")");
        }
        if (sequence <= highest && (seen[slot(sequence)] & bit(sequence)) != 0) {
            throw new ChannelException(Problem.REPLAYED, "record " + sequence + " was already received");
        }
        // Authenticated before it moves the window: a forged sequence number must not shift it.
        byte[] plain = key.open(cipher, record, sequence);
        if (sequence > highest) {
            if (sequence - highest >= WINDOW) {
                Arrays.fill(seen, 0L);
            } else {
                for (long s = highest + 1; s < sequence; s++) {
                    seen[slot(s)] &= ~bit(s);
                }
            }
            highest = sequence;
        }
        seen[slot(sequence)] |= bit(sequence);
        return plain;
    }

    private static int slot(long sequence) {
        return (int) ((sequence % WINDOW) / Long.SIZE);
    }

    private static long bit(long sequence) {
        return 1L << (sequence % Long.SIZE);
    }

    /** Erases the key's secret. */
    public void erase() {
        key.erase();
    }
}
