package dev.meshkit.core.channel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.meshkit.api.spi.ChannelException;
import dev.meshkit.api.spi.ChannelException.Problem;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DatagramOpenerTest {
    private final KeySchedule keys = KeySchedule.derive(random(64), null, random(32));
    private final RecordSealer sealer = keys.datagramSealer(true);
    private final DatagramOpener opener = keys.datagramOpener(false);

    private static byte[] random(int n) {
        byte[] b = new byte[n];
        new SecureRandom().nextBytes(b);
        return b;
    }

    private List<byte[]> seal(int n) {
        List<byte[]> records = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            records.add(sealer.seal(new byte[] {(byte) i, (byte) (i >> 8)}));
        }
        return records;
    }

    private static int number(byte[] plain) {
        return (plain[0] & 0xff) | (plain[1] & 0xff) << 8;
    }

    @Test
    void recordsOpenInAnyOrderWithinTheWindowEachOnce() throws Exception {
        List<byte[]> records = seal(500);
        List<byte[]> shuffled = new ArrayList<>(records);
        Collections.shuffle(shuffled, new Random(7));
        boolean[] got = new boolean[records.size()];
        for (byte[] r : shuffled) {
            got[number(opener.open(r))] = true;
        }
        for (boolean g : got) {
            assertEquals(true, g);
        }
        for (byte[] r : records) {
            assertEquals(Problem.REPLAYED, assertThrows(ChannelException.class, () -> opener.open(r)).problem());
        }
    }

    @Test
    void aRecordOlderThanTheWindowIsRefusedAndTheSessionGoesOn() throws Exception {
        List<byte[]> records = seal(DatagramOpener.WINDOW + 10);
        byte[] newest = records.get(records.size() - 1);
        opener.open(newest);
        assertEquals(Problem.REPLAYED, assertThrows(ChannelException.class, () -> opener.open(records.get(5))).problem());
        // Still inside the window: accepted although it arrives late.
        assertEquals(20, number(opener.open(records.get(20))));
        assertEquals(Problem.REPLAYED, assertThrows(ChannelException.class, () -> opener.open(newest)).problem());
    }

    @Test
    void aTamperedRecordIsRefusedWithoutMovingTheWindow() throws Exception {
        List<byte[]> records = seal(3);
        byte[] forged = records.get(2).clone();
        forged[8] ^= 0x40; // the sequence number, which the tag covers
        assertEquals(Problem.TAMPERED, assertThrows(ChannelException.class, () -> opener.open(forged)).problem());
        byte[] flipped = records.get(0).clone();
        flipped[flipped.length - 1] ^= 1;
        assertEquals(Problem.TAMPERED, assertThrows(ChannelException.class, () -> opener.open(flipped)).problem());
        for (int i = 0; i < 3; i++) {
            assertArrayEquals(new byte[] {(byte) i, 0}, opener.open(records.get(i)));
        }
    }

    @Test
    void theOtherSidesKeysAndOtherEpochsDoNotOpen() {
        byte[] own = keys.datagramSealer(false).seal(new byte[] {1, 2});
        assertEquals(Problem.TAMPERED, assertThrows(ChannelException.class, () -> opener.open(own)).problem());
        byte[] epoch = seal(1).get(0);
        epoch[4] = 1;
        assertEquals(Problem.MALFORMED, assertThrows(ChannelException.class, () -> opener.open(epoch)).problem());
        assertEquals(Problem.MALFORMED, assertThrows(ChannelException.class,
                () -> opener.open(new byte[] {Records.MARKER, 0, 0})).problem());
    }
}
