package dev.meshkit.core.channel;

import dev.meshkit.api.spi.ChannelException;
import dev.meshkit.api.spi.ChannelException.Problem;
import javax.crypto.Cipher;

/**
 * Opens one direction's records. A link delivers in order, so each record must carry exactly the
 * next sequence number: an older one is a replay, a newer one means records were dropped or
 * reordered; both are refused, as is any record that fails authentication. After a refusal the
 * opener refuses everything: the link is to be closed. Not thread-safe.
 */
public final class RecordOpener {
    private final Cipher cipher = RecordSealer.aesGcm();
    private TrafficKey key;
    private long expected;
    private boolean failed;

    RecordOpener(byte[] trafficSecret) {
        this.key = TrafficKey.first(trafficSecret);
    }

    /** The plaintext of the next record. */
    public byte[] open(byte[] record) throws ChannelException {
        if (failed) {
            throw new ChannelException(Problem.TAMPERED, "the channel already refused a record");
        }
        try {
            return openChecked(record);
        } catch (ChannelException e) {
            failed = true;
            key.erase();
            throw e;
        }
    }

    private byte[] openChecked(byte[] record) throws ChannelException {
        if (record.length < Records.OVERHEAD || record[0] != Records.MARKER) {
            throw new ChannelException(Problem.MALFORMED, "not a record (" + record.length + " bytes)");
        }
        int epoch = Records.epoch(record);
        long sequence = Records.sequence(record);
        if (sequence < expected) {
            throw new ChannelException(Problem.REPLAYED, "record " + sequence + " was already received (next is "
                    + expected + ")");
        }
        if (sequence > expected) {
            throw new ChannelException(Problem.REORDERED, "record " + sequence + " arrived before record "
                    + expected);
        }
        if (epoch == key.epoch + 1) {
            key = key.next();
        } else if (epoch != key.epoch) {
            throw new ChannelException(Problem.TAMPERED, "record of key epoch " + epoch + " while at " + key.epoch);
        }
        byte[] plain = key.open(cipher, record, sequence);
        expected++;
        return plain;
    }

    /** Erases the current key's secret. */
    public void erase() {
        key.erase();
    }
}
