package dev.meshkit.core.channel;

import java.security.GeneralSecurityException;
import java.util.function.LongSupplier;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;

/**
 * Seals one direction of a link into AES-256-GCM records. Moves to the next key after a set number
 * of records or a set time, whichever comes first; the record header tells the other side, so the
 * two directions rekey independently and both sides may rekey at the same moment. Not thread-safe:
 * a node seals on its event loop.
 */
public final class RecordSealer {
    private final Cipher cipher;
    private final LongSupplier clock;
    private final long rekeyRecords;
    private final long rekeyMillis;
    private TrafficKey key;
    private long sequence;
    private long epochRecords;
    private long epochStart;

    RecordSealer(byte[] trafficSecret, long rekeyRecords, long rekeyMillis, LongSupplier monotonicMillis) {
        this.key = TrafficKey.first(trafficSecret);
        this.rekeyRecords = rekeyRecords;
        this.rekeyMillis = rekeyMillis;
        this.clock = monotonicMillis;
        this.epochStart = monotonicMillis.getAsLong();
        this.cipher = aesGcm();
    }

    /** Encrypts and authenticates one frame (or bundle of frames). */
    public byte[] seal(byte[] plaintext) {
        if (epochRecords >= rekeyRecords || clock.getAsLong() - epochStart >= rekeyMillis) {
            key = key.next();
            epochRecords = 0;
            epochStart = clock.getAsLong();
        }
        byte[] out = new byte[Records.HEADER_BYTES + plaintext.length + Records.TAG_BYTES];
        Records.writeHeader(out, key.epoch, sequence);
        try {
            cipher.init(Cipher.ENCRYPT_MODE, key.key, new GCMParameterSpec(128, key.nonce(sequence)));
            cipher.updateAAD(out, 0, Records.HEADER_BYTES);
            cipher.doFinal(plaintext, 0, plaintext.length, out, Records.HEADER_BYTES);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM failed on a well-formed record", e);
        }
        sequence++;
        epochRecords++;
        return out;
    }

    /** The key epoch the next record will use, unless it rekeys first. */
    public int epoch() {
        return key.epoch;
    }

    /** Erases the current key's secret. */
    public void erase() {
        key.erase();
    }

    static Cipher aesGcm() {
        try {
            return Cipher.getInstance("AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/GCM is missing from this JDK", e);
        }
    }
}
