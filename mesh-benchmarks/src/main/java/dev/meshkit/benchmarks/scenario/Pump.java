package dev.meshkit.benchmarks.scenario;

import java.util.function.IntConsumer;

/** Drives messages through a {@link Probe}: paced one at a time, or windowed as fast as possible. */
final class Pump {
    private Pump() {
    }

    /** Outcome of a windowed run over messages {@code [from, to)}. */
    record Trial(int sent, int delivered, long nanos) {
        double rate() {
            return nanos > 0 ? delivered * 1e9 / nanos : 0;
        }
    }

    /**
     * Sends messages {@code [from, to)} keeping at most the probe's window in flight, then waits for
     * them all. Time runs from the first send to the last receiver's delivery of the last message.
     */
    static Trial windowed(Probe p, int from, int to, IntConsumer send, long timeoutNanos)
            throws InterruptedException {
        int sent = 0;
        for (int i = from; i < to; i++) {
            if (!p.acquire(timeoutNanos)) {
                break; // nothing completed for a whole timeout: messages are lost; report what arrived
            }
            p.published(i, System.nanoTime());
            send.accept(i);
            sent++;
        }
        p.awaitCompleted(to, System.nanoTime() + timeoutNanos);
        int delivered = 0;
        for (int i = from; i < to; i++) {
            if (p.isComplete(i)) {
                delivered++;
            }
        }
        long last = p.lastCompletion(from, to);
        return new Trial(sent, delivered, last == 0 ? 0 : last - p.publishedAt[from]);
    }

    /** Sends messages {@code [from, to)} one at a time, each after the previous fully arrived. */
    static int paced(Probe p, int from, int to, IntConsumer send, long timeoutNanos) {
        int lost = 0;
        for (int i = from; i < to; i++) {
            p.published(i, System.nanoTime());
            send.accept(i);
            if (!p.awaitMessage(i, System.nanoTime() + timeoutNanos)) {
                lost++;
            }
        }
        return lost;
    }
}
