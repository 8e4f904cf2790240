package dev.meshkit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The demo, run in this JVM on real loopback WebSockets. */
class DemoCommandTest {

    @Test
    @Timeout(value = 80, unit = TimeUnit.SECONDS)
    void aSixNodeDemoPassesEveryCheck() {
        Run r = Run.of("demo", "--nodes", "6", "--messages", "10");
        assertEquals(0, r.exitCode, r::toString);
        assertTrue(r.out.contains("each message exactly once"), "prints the delivery table:\n" + r.out);
        assertTrue(r.out.contains("round 1: 50 of 50 deliveries exactly once"), r.out);
        // 2 of 6 stop; 4 survivors each get the 10 broadcasts of the others: 10 x 3.
        assertTrue(r.out.contains("round 2: 30 of 30 deliveries exactly once"), r.out);
        assertTrue(r.out.contains("survivors healed"), r.out);
        assertTrue(r.out.contains("result: PASS"), r.out);
        assertTrue(!r.out.contains("\r"), "no carriage returns when the output is not a terminal");
    }
}
