package dev.meshkit.core.defence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshkit.api.NodeId;
import dev.meshkit.api.PeerScore;
import dev.meshkit.api.PeerScoring;
import dev.meshkit.api.Reputation;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class PeerScoresTest {
    private static final NodeId A = NodeId.ofPublicKey(new byte[] {1});
    private static final NodeId B = NodeId.ofPublicKey(new byte[] {2});
    private static final long MINUTE = 60_000;

    private final PeerScores scores = new PeerScores(PeerScoring.defaults(), 100);

    @Test
    void penaltiesGrowWithTheSquareSoThreeInvalidMessagesDisconnect() {
        scores.connected(A, null);
        scores.invalidMessage(A);
        assertEquals(-10, scores.score(A), 1e-9);
        assertFalse(scores.belowGossip(A), "one fault is forgiven");
        scores.invalidMessage(A);
        assertEquals(-40, scores.score(A), 1e-9);
        assertTrue(scores.belowGossip(A));
        assertFalse(scores.belowAccept(A));
        scores.invalidMessage(A);
        assertEquals(-90, scores.score(A), 1e-9);
        assertTrue(scores.belowAccept(A));
        assertTrue(scores.belowDisconnect(A));
        assertEquals(Reputation.BANNED, scores.reputation(scores.score(A), false));
    }

    @Test
    void countersDecayWithTheHalfLifeAndTheReputationRecovers() {
        scores.connected(A, null);
        scores.decay(0);
        for (int i = 0; i < 4; i++) {
            scores.misbehaved(A);
        }
        assertEquals(-16, scores.score(A), 1e-9);
        assertEquals(Reputation.SUSPICIOUS, scores.reputation(scores.score(A), false));
        scores.decay(MINUTE);
        assertEquals(-4, scores.score(A), 1e-9, "half the count, a quarter of the penalty");
        assertEquals(Reputation.NORMAL, scores.reputation(scores.score(A), false));
        scores.decay(30 * MINUTE);
        assertEquals(0, scores.score(A), 1e-9);
    }

    @Test
    void usefulPeersBecomeTrustedUpToACap() {
        scores.connected(A, null);
        for (int i = 0; i < 1000; i++) {
            scores.firstDelivery(A);
        }
        assertEquals(10, scores.score(A), 1e-9);
        assertEquals(Reputation.TRUSTED, scores.reputation(scores.score(A), false));
        assertEquals(Reputation.BANNED, scores.reputation(scores.score(A), true), "a ban overrides");
    }

    @Test
    void peersCrowdedOnOneAddressArePenalisedBeyondTheThreshold() {
        NodeId[] ids = new NodeId[5];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = NodeId.ofPublicKey(new byte[] {9, (byte) i});
            scores.connected(ids[i], "203.0.113.7");
        }
        scores.connected(A, "198.51.100.1");
        scores.connected(B, null); // exempt: never colocated
        assertEquals(-20, scores.score(ids[0]), 1e-9, "two beyond three, squared, times five");
        assertEquals(0, scores.score(A), 1e-9);
        assertEquals(0, scores.score(B), 1e-9);
        scores.disconnected(ids[4], 0);
        scores.disconnected(ids[3], 0);
        assertEquals(0, scores.score(ids[0]), 1e-9);
    }

    @Test
    void aScoreOutlivesTheLinkForTheRetentionTime() {
        scores.connected(A, null);
        scores.decay(0);
        scores.invalidMessage(A);
        scores.disconnected(A, 0);
        scores.connected(A, null);
        assertEquals(-10, scores.score(A), 1e-9, "coming back does not wash it clean");
        scores.disconnected(A, MINUTE);
        scores.decay(MINUTE + Duration.ofMinutes(10).toMillis() + 1);
        assertEquals(0, scores.size());
    }

    @Test
    void recordsAreBoundedAndConnectedPeersAreNeverDropped() {
        PeerScores small = new PeerScores(PeerScoring.defaults(), 10);
        small.connected(A, null);
        small.invalidMessage(A);
        for (int i = 0; i < 1000; i++) {
            NodeId n = NodeId.ofPublicKey(new byte[] {7, (byte) i, (byte) (i >> 8)});
            small.connected(n, null);
            small.misbehaved(n);
            small.disconnected(n, 0);
        }
        assertEquals(10, small.size());
        assertEquals(-10, small.score(A), 1e-9);
        List<PeerScore> snap = small.snapshot(id -> false);
        assertEquals(10, snap.size());
        assertTrue(snap.stream().anyMatch(p -> p.id().equals(A) && p.connected() && p.invalidMessages() == 1));
    }
}
