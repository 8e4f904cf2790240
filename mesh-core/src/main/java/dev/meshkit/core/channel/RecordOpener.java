package dev.meshkit.core.channel;

import dev.meshkit.api.spi.ChannelException;
import dev.meshkit.api.spi.ChannelException.Problem;
import java.security.GeneralSecurityException;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;

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
        try {
            cipher.init(Cipher.DECRYPT_MODE, key.key, new GCMParameterSpec(128, key.nonce(sequence)));
            cipher.updateAAD(record, 0, Records.HEADER_BYTES);
            byte[] plain = cipher.doFinal(record, Records.HEADER_BYTES, record.length - Records.HEADER_BYTES);
            expected++;
            return plain;
        } catch (AEADBadTagException e) {
            throw new ChannelException(Problem.TAMPERED, "record " + sequence + " fails authentication");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM failed on a well-formed record", e);
        }
    }

    /** Erases the current key's secret. */
    public void erase() {
        key.erase();
    }
}
