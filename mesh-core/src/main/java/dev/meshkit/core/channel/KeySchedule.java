package dev.meshkit.core.channel;

import dev.meshkit.api.ChannelSettings;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.function.LongSupplier;

/**
 * The key schedule of a link or an end-to-end session. HKDF-SHA-256 extracts from the key agreement's secret, salted with the
 * network key if there is one, then expands with the suite and the handshake transcript's hash as
 * context into a traffic secret per direction and a confirmation key per side. So the keys depend on
 * everything both sides signed, and two nodes with different network keys derive different ones.
 */
public final class KeySchedule {
    private final byte[] transcriptHash;
    private final byte[] dialerTraffic;
    private final byte[] listenerTraffic;
    private final byte[] dialerConfirm;
    private final byte[] listenerConfirm;

    private KeySchedule(byte[] transcriptHash, byte[] prk) {
        this.transcriptHash = transcriptHash.clone();
        this.dialerTraffic = Hkdf.expand(prk, "meshkit/v1 dialer traffic", transcriptHash, TrafficKey.SECRET_BYTES);
        this.listenerTraffic = Hkdf.expand(prk, "meshkit/v1 listener traffic", transcriptHash,
                TrafficKey.SECRET_BYTES);
        this.dialerConfirm = Hkdf.expand(prk, "meshkit/v1 dialer confirm", transcriptHash, Hkdf.HASH_BYTES);
        this.listenerConfirm = Hkdf.expand(prk, "meshkit/v1 listener confirm", transcriptHash, Hkdf.HASH_BYTES);
    }

    /**
     * Derives the keys.
     *
     * @param secret         the key agreement's shared secret
     * @param networkKey     the network's pre-shared key, or {@code null}
     * @param transcriptHash SHA-256 of the transcript both sides sign, which names the suite
     */
    public static KeySchedule derive(byte[] secret, byte[] networkKey, byte[] transcriptHash) {
        byte[] prk = Hkdf.extract(networkKey, secret);
        try {
            return new KeySchedule(transcriptHash, prk);
        } finally {
            Arrays.fill(prk, (byte) 0);
        }
    }

    /** The key confirmation the given side sends: an HMAC of the transcript hash under its confirm key. */
    public byte[] confirmation(boolean dialer) {
        return Hkdf.hmac(dialer ? dialerConfirm : listenerConfirm, transcriptHash);
    }

    /** True if {@code mac} is the other side's correct confirmation; compared in constant time. */
    public boolean confirms(boolean fromDialer, byte[] mac) {
        return mac != null && MessageDigest.isEqual(confirmation(fromDialer), mac);
    }

    /** The sealer for this side's direction, with its own copy of the traffic secret. */
    public RecordSealer sealer(boolean dialer, ChannelSettings settings, LongSupplier monotonicMillis) {
        return new RecordSealer((dialer ? dialerTraffic : listenerTraffic).clone(), settings.rekeyRecords(),
                settings.rekeyInterval().toMillis(), monotonicMillis);
    }

    /** The opener for the other side's direction, with its own copy of the traffic secret. */
    public RecordOpener opener(boolean dialer) {
        return new RecordOpener((dialer ? listenerTraffic : dialerTraffic).clone());
    }

    /**
     * The sealer for this side of an end-to-end session. It never rekeys: a session is replaced by a
     * fresh key exchange instead, since its records may arrive out of order across epochs.
     */
    public RecordSealer datagramSealer(boolean initiator) {
        return new RecordSealer((initiator ? dialerTraffic : listenerTraffic).clone(), Long.MAX_VALUE, Long.MAX_VALUE,
                () -> 0L);
    }

    /** The opener for the other side of an end-to-end session. */
    public DatagramOpener datagramOpener(boolean initiator) {
        return new DatagramOpener((initiator ? listenerTraffic : dialerTraffic).clone());
    }

    /** Erases every secret this schedule still holds (the sealer and opener keep their own copies). */
    public void erase() {
        Arrays.fill(dialerTraffic, (byte) 0);
        Arrays.fill(listenerTraffic, (byte) 0);
        Arrays.fill(dialerConfirm, (byte) 0);
        Arrays.fill(listenerConfirm, (byte) 0);
    }
}
