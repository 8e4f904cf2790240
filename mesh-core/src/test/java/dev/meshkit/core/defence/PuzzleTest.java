package dev.meshkit.core.defence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshkit.api.NodeId;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class PuzzleTest {
    private static final byte[] SEED = bytes(Puzzle.SEED_BYTES, 1);
    private static final byte[] CHALLENGE = bytes(32, 2);
    private static final NodeId DIALLER = NodeId.ofPublicKey(new byte[] {3});

    private static byte[] bytes(int n, int fill) {
        byte[] b = new byte[n];
        Arrays.fill(b, (byte) fill);
        return b;
    }

    @Test
    void anAnswerIsBoundToItsSeedChallengeAndDialler() {
        byte[] nonce = Puzzle.solve(SEED, CHALLENGE, DIALLER, 12, () -> false);
        assertTrue(Puzzle.solved(SEED, CHALLENGE, DIALLER, nonce, 12));
        // Each of these fails for a 12-bit answer with probability 1 - 2^-12; the fixed inputs make it certain.
        assertFalse(Puzzle.solved(bytes(Puzzle.SEED_BYTES, 9), CHALLENGE, DIALLER, nonce, 12), "another connection");
        assertFalse(Puzzle.solved(SEED, bytes(32, 9), DIALLER, nonce, 12), "another hello");
        assertFalse(Puzzle.solved(SEED, CHALLENGE, NodeId.ofPublicKey(new byte[] {4}), nonce, 12), "another id");
        assertFalse(Puzzle.solved(SEED, CHALLENGE, DIALLER, new byte[3], 0), "a nonce of the wrong length");
    }

    @Test
    void harderPuzzlesNeedMoreWork() {
        byte[] easy = Puzzle.solve(SEED, CHALLENGE, DIALLER, 4, () -> false);
        byte[] hard = Puzzle.solve(SEED, CHALLENGE, DIALLER, 16, () -> false);
        assertTrue(Puzzle.solved(SEED, CHALLENGE, DIALLER, hard, 16));
        // Nonces count up from zero, so the nonce is the number of hashes tried.
        long easyTries = java.nio.ByteBuffer.wrap(easy).getLong();
        long hardTries = java.nio.ByteBuffer.wrap(hard).getLong();
        assertTrue(hardTries > easyTries, easyTries + " vs " + hardTries);
        assertTrue(Puzzle.solved(SEED, CHALLENGE, DIALLER, hard, 4), "more zeros answer fewer too");
    }

    @Test
    void solvingStopsWhenNoLongerWanted() {
        assertNull(Puzzle.solve(SEED, CHALLENGE, DIALLER, 64, () -> true));
    }

    @Test
    void difficultyRisesWithTheHandshakesUnderWay() {
        assertEquals(8, Puzzle.bits(8, 20, 0, 28, false));
        assertEquals(14, Puzzle.bits(8, 20, 14, 28, false));
        assertEquals(20, Puzzle.bits(8, 20, 28, 28, false));
        assertEquals(20, Puzzle.bits(8, 20, 100, 28, false), "capped");
        assertEquals(12, Puzzle.bits(8, 20, 0, 28, true), "a suspicious dialler pays 16 times more");
        assertEquals(20, Puzzle.bits(8, 20, 28, 28, true));
        assertEquals(0, Puzzle.bits(0, 0, 28, 28, false));
    }
}
