package dev.meshkit.benchmarks.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshkit.api.spi.IdentityScheme;
import dev.meshkit.benchmarks.scheme.UnsignedBenchScheme;
import dev.meshkit.core.Identities;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Tiny runs over mem: the runner works end to end; the numbers themselves are not checked. */
class ScenarioRunnerSmokeTest {

    private static String run(int expectedExit, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = ScenarioRunner.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        String text = out.toString(StandardCharsets.UTF_8);
        assertEquals(expectedExit, code, () -> text + err.toString(StandardCharsets.UTF_8));
        return text;
    }

    @Test
    void latencyOverMemWithEd25519() {
        String text = run(0, "--transport", "mem", "--nodes", "3", "--messages", "5", "--size", "64",
                "--warmup", "2", "--mode", "latency");
        assertTrue(text.contains("RESULT {\"mode\":\"latency\""), text);
        assertTrue(text.contains("\"complete\":true"), text);
    }

    @Test
    void throughputOverMemWithTheUnsignedScheme() {
        String text = run(0, "--transport", "mem", "--nodes", "3", "--messages", "20", "--size", "32",
                "--warmup", "5", "--warmup-seconds", "0", "--mode", "throughput", "--scheme", "unsigned",
                "--repeat", "1", "--no-threads");
        assertTrue(text.contains("\"scheme\":\"unsigned-bench\""), text);
        assertTrue(text.contains("\"warmup_messages\":5,"), text);
        assertTrue(text.contains("\"complete\":true"), text);
    }

    @Test
    void relayOverLoopbackDeliversEveryTrialMessage() {
        String text = run(0, "--transport", "ws", "--mode", "relay", "--messages", "50", "--size", "32",
                "--warmup", "20", "--repeat", "2", "--no-threads");
        assertTrue(text.contains("RESULT {\"mode\":\"relay\""), text);
        assertTrue(text.contains("\"complete\":true"), text);
    }

    @Test
    void unsignedSchemeIsFoundButNeverTheDefault() {
        IdentityScheme s = Identities.scheme(UnsignedBenchScheme.NAME);
        assertEquals(UnsignedBenchScheme.NAME, s.name());
        // Its priority is below every real scheme's: with mesh-crypto-pqc here, the default is ML-DSA-65.
        assertEquals("ml-dsa-65", Identities.scheme(null).name());
        byte[] pk = s.generate(new java.security.SecureRandom()).publicKey();
        assertTrue(s.verifier(pk).verify(new byte[] {1}, new byte[0]));
        assertTrue(!s.verifier(pk).verify(new byte[] {1}, new byte[64]));
    }

    @Test
    void helpAndBadOptions() {
        assertTrue(run(0, "--help").contains("--mode latency|throughput|relay"));
        run(2, "--nodes", "x");
        run(2, "--size", "4");
    }
}
