package dev.meshkit.core.defence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshkit.api.MessageId;
import dev.meshkit.api.NodeId;
import dev.meshkit.core.defence.ReplayGuard.Verdict;
import org.junit.jupiter.api.Test;

class ReplayGuardTest {
    private static final long AGE = 600_000;
    private static final long SKEW = 60_000;
    private static final long NOW = 1_700_000_000_000L;
    private static final NodeId ALICE = NodeId.ofPublicKey(new byte[] {1});
    private static final NodeId BOB = NodeId.ofPublicKey(new byte[] {2});

    private static MessageId id(int n) {
        return new MessageId(0, n);
    }

    @Test
    void aSecondCopyIsADuplicateAndCheckingRecordsNothing() {
        ReplayGuard g = new ReplayGuard(1000, AGE, SKEW, 64, 100);
        assertEquals(Verdict.NEW, g.check(id(1), NOW, NOW));
        assertEquals(Verdict.NEW, g.check(id(1), NOW, NOW), "check alone must not record");
        assertFalse(g.seen(id(1)));
        assertEquals(Verdict.NEW, g.accept(id(1), ALICE, NOW, 1, NOW));
        assertTrue(g.seen(id(1)));
        assertEquals(Verdict.DUPLICATE, g.accept(id(1), ALICE, NOW, 1, NOW + 5));
        assertEquals(Verdict.DUPLICATE, g.check(id(1), NOW, NOW + 5));
    }

    @Test
    void messagesOutsideTheTimestampWindowAreStale() {
        ReplayGuard g = new ReplayGuard(1000, AGE, SKEW, 64, 100);
        assertEquals(Verdict.STALE, g.accept(id(1), ALICE, NOW - AGE - 1, 1, NOW));
        assertEquals(Verdict.STALE, g.accept(id(2), ALICE, NOW + SKEW + 1, 2, NOW));
        assertEquals(Verdict.NEW, g.accept(id(3), ALICE, NOW - AGE, 3, NOW));
        assertEquals(Verdict.NEW, g.accept(id(4), ALICE, NOW + SKEW, 4, NOW));
    }

    @Test
    void anIdIsKeptForAsLongAsItsMessageCouldBeAccepted() {
        ReplayGuard g = new ReplayGuard(1000, AGE, SKEW, 1, 100);
        // Stamped a minute ahead: accepted now, and still inside the window for eleven minutes.
        long stamp = NOW + SKEW;
        assertEquals(Verdict.NEW, g.accept(id(1), ALICE, stamp, 1, NOW));
        for (long t = NOW; t <= stamp + AGE; t += 30_000) {
            g.accept(id((int) (t / 1000)), BOB, t, t, t); // traffic that triggers expiry
            assertEquals(Verdict.DUPLICATE, g.check(id(1), stamp, t), "at " + (t - NOW) + " ms");
        }
        assertEquals(Verdict.STALE, g.check(id(1), stamp, stamp + AGE + 1));
    }

    @Test
    void atTheBoundTheOldestStampsAreForgottenAndTheirMessagesNeverComeBack() {
        ReplayGuard g = new ReplayGuard(100, AGE, SKEW, 64, 100);
        for (int i = 0; i < 100; i++) {
            assertEquals(Verdict.NEW, g.accept(id(i), ALICE, NOW - 100_000 + i * 1000L, i, NOW));
        }
        assertEquals(Verdict.NEW, g.accept(id(1000), BOB, NOW, 1, NOW));
        assertEquals(100, g.size());
        assertFalse(g.seen(id(0)), "the oldest stamp went");
        assertEquals(NOW - 99_000, g.floor());
        // The forgotten message is refused, not taken for new; a later stamp is still fine.
        assertEquals(Verdict.STALE, g.accept(id(0), ALICE, NOW - 100_000, 0, NOW + 1));
        assertEquals(Verdict.STALE, g.accept(id(2000), BOB, NOW - 99_500, 2, NOW + 1));
        assertEquals(Verdict.NEW, g.accept(id(2001), BOB, NOW - 99_000, 3, NOW + 1));
    }

    @Test
    void aReusedSequenceNumberIsAReplayEvenWithANewId() {
        ReplayGuard g = new ReplayGuard(1000, AGE, SKEW, 64, 100);
        assertEquals(Verdict.NEW, g.accept(id(1), ALICE, NOW, 10, NOW));
        assertEquals(Verdict.NEW, g.check(id(2), NOW, NOW), "found only once its origin's signature verified");
        assertEquals(Verdict.REPLAY, g.accept(id(2), ALICE, NOW, 10, NOW));
        assertEquals(Verdict.NEW, g.accept(id(3), BOB, NOW, 10, NOW), "windows are per origin");
        assertEquals(Verdict.NEW, g.accept(id(4), ALICE, NOW, 9, NOW), "out of order inside the window");
        assertEquals(Verdict.REPLAY, g.accept(id(5), ALICE, NOW, 9, NOW));
    }

    @Test
    void oneHugeSequenceNumberCannotMakeLaterMessagesLookReplayed() {
        ReplayGuard g = new ReplayGuard(1000, AGE, SKEW, 64, 100);
        assertEquals(Verdict.NEW, g.accept(id(1), ALICE, NOW, 5, NOW));
        assertEquals(Verdict.NEW, g.accept(id(2), ALICE, NOW, Long.MAX_VALUE, NOW));
        for (int seq = 6; seq < 200; seq++) {
            assertEquals(Verdict.NEW, g.accept(id(seq + 100), ALICE, NOW, seq, NOW), "sequence " + seq);
        }
        // Below the window the ids still catch a replay.
        assertEquals(Verdict.DUPLICATE, g.accept(id(150), ALICE, NOW, 50, NOW));
        assertEquals(Verdict.NEW, g.accept(id(3), ALICE, NOW, Long.MIN_VALUE, NOW), "no overflow either way");
        assertEquals(Verdict.NEW, g.accept(id(4), ALICE, NOW, Long.MAX_VALUE - 1, NOW));
    }

    @Test
    void originsAreBounded() {
        ReplayGuard g = new ReplayGuard(10_000, AGE, SKEW, 64, 10);
        for (int i = 0; i < 1000; i++) {
            g.accept(id(i), NodeId.ofPublicKey(new byte[] {(byte) i, (byte) (i >> 8)}), NOW, 1, NOW);
        }
        assertEquals(10, g.origins());
        assertEquals(1000, g.size());
    }
}
