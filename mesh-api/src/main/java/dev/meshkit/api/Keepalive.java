package dev.meshkit.api;

import java.time.Duration;

/**
 * Liveness of links: a ping every {@code interval} to a quiet neighbour, and a neighbour silent for
 * {@code deadAfter} is declared dead and disconnected.
 *
 * @param interval  how often to probe a neighbour
 * @param deadAfter silence after which a neighbour is dead; must exceed {@code interval}
 */
public record Keepalive(Duration interval, Duration deadAfter) {
    /** Checks the pair. */
    public Keepalive {
        if (interval.isNegative() || interval.isZero() || deadAfter.compareTo(interval) <= 0) {
            throw new IllegalArgumentException("keepalive needs 0 < interval < deadAfter");
        }
    }

    /** 30 s pings, dead after 90 s of silence. */
    public static Keepalive defaults() {
        return new Keepalive(Duration.ofSeconds(30), Duration.ofSeconds(90));
    }
}
