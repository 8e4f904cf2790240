package dev.meshkit.transport.ws.internal;

import dev.meshkit.api.spi.Connection;
import java.nio.ByteBuffer;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/** Strict request/reply rounds: the next request goes out only after the reply to the last one. */
final class PingPong {
    /** What a run achieved. */
    record Result(int rounds, int stalledAt, long nanos) {
        boolean stalled() {
            return stalledAt >= 0;
        }

        double roundsPerSecond() {
            return rounds / (nanos / 1e9);
        }
    }

    private PingPong() {
    }

    /**
     * Runs up to {@code rounds} rounds; stops at the first reply that takes longer than
     * {@code roundTimeoutMillis} and reports that round.
     */
    static Result run(Connection c, BlockingQueue<byte[]> replies, int rounds, long roundTimeoutMillis)
            throws InterruptedException {
        long start = System.nanoTime();
        for (int i = 0; i < rounds; i++) {
            byte[] ping = ByteBuffer.allocate(16).putInt(i).array();
            if (!c.send(ping)) {
                throw new AssertionError("send refused at round " + i + ", open=" + c.isOpen());
            }
            byte[] pong = replies.poll(roundTimeoutMillis, TimeUnit.MILLISECONDS);
            if (pong == null) {
                return new Result(i, i, System.nanoTime() - start);
            }
            int echoed = ByteBuffer.wrap(pong).getInt();
            if (echoed != i) {
                throw new AssertionError("round " + i + " got the reply of round " + echoed);
            }
        }
        return new Result(rounds, -1, System.nanoTime() - start);
    }
}
