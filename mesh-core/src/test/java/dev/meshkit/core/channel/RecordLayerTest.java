package dev.meshkit.core.channel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshkit.api.ChannelSettings;
import dev.meshkit.api.spi.ChannelException;
import dev.meshkit.api.spi.ChannelException.Problem;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RecordLayerTest {
    private final AtomicLong clock = new AtomicLong(1_000);
    private final byte[] transcript = random(32);
    private final byte[] secret = random(64);

    private static byte[] random(int n) {
        byte[] b = new byte[n];
        new SecureRandom().nextBytes(b);
        return b;
    }

    private ChannelSettings rekeyAfter(long records) {
        return ChannelSettings.builder().rekeyAfter(Duration.ofMinutes(5), records).build();
    }

    /** A dialler's sealer and the listener's opener for it, from one key schedule. */
    private RecordSealer sealer(ChannelSettings settings) {
        return KeySchedule.derive(secret, null, transcript).sealer(true, settings, clock::get);
    }

    private RecordOpener opener() {
        return KeySchedule.derive(secret, null, transcript).opener(false);
    }

    private static byte[] text(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void recordsOpenInOrderAndHideTheirPlaintext() throws Exception {
        RecordSealer sealer = sealer(ChannelSettings.defaults());
        RecordOpener opener = opener();
        for (int i = 0; i < 100; i++) {
            byte[] plain = text("frame number " + i);
            byte[] record = sealer.seal(plain);
            assertTrue(Records.isRecord(record));
            assertEquals(plain.length + Records.OVERHEAD, record.length);
            assertFalse(new String(record, StandardCharsets.ISO_8859_1).contains("frame number"));
            assertArrayEquals(plain, opener.open(record));
        }
        assertArrayEquals(new byte[0], opener.open(sealer.seal(new byte[0])));
    }

    @Test
    void eachDirectionHasItsOwnKeys() {
        KeySchedule keys = KeySchedule.derive(secret, null, transcript);
        byte[] fromDialer = keys.sealer(true, ChannelSettings.defaults(), clock::get).seal(text("x"));
        // The dialler's own opener is for the listener's records: it cannot open the dialler's.
        ChannelException e = assertThrows(ChannelException.class, () -> keys.opener(true).open(fromDialer));
        assertEquals(Problem.TAMPERED, e.problem());
        assertFalse(Arrays.equals(keys.confirmation(true), keys.confirmation(false)));
    }

    @Test
    void aChangedByteAnywhereIsRefusedAndTheChannelStaysClosed() throws Exception {
        RecordSealer sealer = sealer(ChannelSettings.defaults());
        byte[] record = sealer.seal(text("pay 10 to alice"));
        for (int i = 1; i < record.length; i++) {
            RecordOpener opener = opener();
            byte[] bad = record.clone();
            bad[i] ^= 0x01;
            ChannelException e = assertThrows(ChannelException.class, () -> opener.open(bad), "byte " + i);
            // A changed sequence number reads as a replay or a gap; any other change fails the tag.
            if (i >= 5 && i < 13) {
                assertTrue(e.problem() == Problem.REORDERED || e.problem() == Problem.REPLAYED, "byte " + i);
            } else {
                assertEquals(Problem.TAMPERED, e.problem(), "byte " + i);
            }
            // Once refused, even the genuine record is not accepted on this channel.
            assertThrows(ChannelException.class, () -> opener.open(record));
        }
        RecordOpener opener = opener();
        assertEquals(Problem.MALFORMED, assertThrows(ChannelException.class,
                () -> opener.open(Arrays.copyOf(record, Records.OVERHEAD - 1))).problem());
    }

    @Test
    void aReplayedRecordIsRefused() throws Exception {
        RecordSealer sealer = sealer(ChannelSettings.defaults());
        RecordOpener opener = opener();
        byte[] first = sealer.seal(text("one"));
        opener.open(first);
        opener.open(sealer.seal(text("two")));
        assertEquals(Problem.REPLAYED, assertThrows(ChannelException.class, () -> opener.open(first)).problem());
    }

    @Test
    void aRecordAheadOfItsTurnIsRefused() throws Exception {
        RecordSealer sealer = sealer(ChannelSettings.defaults());
        RecordOpener opener = opener();
        byte[] first = sealer.seal(text("one"));
        byte[] second = sealer.seal(text("two"));
        assertEquals(Problem.REORDERED, assertThrows(ChannelException.class, () -> opener.open(second)).problem());
        assertThrows(ChannelException.class, () -> opener.open(first));
    }

    @Test
    void keysChangeAfterTheRecordLimitAndTheOpenerFollows() throws Exception {
        RecordSealer sealer = sealer(rekeyAfter(3));
        RecordOpener opener = opener();
        byte[][] records = new byte[10][];
        for (int i = 0; i < records.length; i++) {
            records[i] = sealer.seal(text("r" + i));
            assertEquals(i / 3, sealer.epoch(), "record " + i);
            assertArrayEquals(text("r" + i), opener.open(records[i]));
        }
        // Records of different epochs are under different keys: moving one's ciphertext under another's header fails.
        RecordOpener fresh = opener();
        fresh.open(records[0]);
        fresh.open(records[1]);
        fresh.open(records[2]);
        byte[] spliced = records[3].clone();
        System.arraycopy(records[2], 1, spliced, 1, 4); // epoch 0 header on an epoch 1 record
        spliced[12] = 3;
        assertEquals(Problem.TAMPERED, assertThrows(ChannelException.class, () -> fresh.open(spliced)).problem());
    }

    @Test
    void keysChangeAfterTheIntervalToo() throws Exception {
        RecordSealer sealer = sealer(ChannelSettings.builder().rekeyAfter(Duration.ofSeconds(60), 1_000_000).build());
        RecordOpener opener = opener();
        opener.open(sealer.seal(text("a")));
        assertEquals(0, sealer.epoch());
        clock.addAndGet(60_000);
        opener.open(sealer.seal(text("b")));
        assertEquals(1, sealer.epoch());
        opener.open(sealer.seal(text("c")));
        assertEquals(1, sealer.epoch());
    }

    @Test
    void anEpochThatSkipsAheadIsRefused() throws Exception {
        RecordSealer sealer = sealer(ChannelSettings.defaults());
        byte[] record = sealer.seal(text("a"));
        record[4] = 2; // epoch 2 while the opener is at 0
        assertEquals(Problem.TAMPERED, assertThrows(ChannelException.class, () -> opener().open(record)).problem());
    }

    @Test
    void bothSidesRekeyingAtOnceKeepsTheLink() throws Exception {
        // Each direction rekeys on its own count: the two sides hitting the limit together is just two
        // independent steps, one per direction.
        KeySchedule dialer = KeySchedule.derive(secret, null, transcript);
        KeySchedule listener = KeySchedule.derive(secret, null, transcript);
        ChannelSettings settings = rekeyAfter(2);
        RecordSealer dialerOut = dialer.sealer(true, settings, clock::get);
        RecordOpener dialerIn = dialer.opener(true);
        RecordSealer listenerOut = listener.sealer(false, settings, clock::get);
        RecordOpener listenerIn = listener.opener(false);
        for (int i = 0; i < 20; i++) {
            byte[] a = dialerOut.seal(text("d" + i));
            byte[] b = listenerOut.seal(text("l" + i));
            assertEquals(dialerOut.epoch(), listenerOut.epoch());
            assertArrayEquals(text("l" + i), dialerIn.open(b));
            assertArrayEquals(text("d" + i), listenerIn.open(a));
        }
        assertEquals(9, dialerOut.epoch());
    }

    @Test
    void aDifferentNetworkKeyGivesDifferentConfirmations() {
        byte[] key = random(32);
        KeySchedule with = KeySchedule.derive(secret, key, transcript);
        KeySchedule other = KeySchedule.derive(secret, random(32), transcript);
        KeySchedule none = KeySchedule.derive(secret, null, transcript);
        assertTrue(KeySchedule.derive(secret, key, transcript).confirms(true, with.confirmation(true)));
        assertFalse(other.confirms(true, with.confirmation(true)));
        assertFalse(none.confirms(true, with.confirmation(true)));
        assertFalse(with.confirms(true, with.confirmation(false)));
        assertFalse(with.confirms(true, null));
    }

    @Test
    void anErasedScheduleKeepsNoSecrets() {
        KeySchedule keys = KeySchedule.derive(secret, null, transcript);
        byte[] before = keys.confirmation(true);
        keys.erase();
        assertFalse(Arrays.equals(before, keys.confirmation(true)));
    }
}
