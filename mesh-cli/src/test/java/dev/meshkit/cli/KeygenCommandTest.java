package dev.meshkit.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshkit.core.Identities;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeygenCommandTest {
    @TempDir
    Path dir;

    @Test
    void writesALoadableKeyFileAndPrintsItsNodeId() {
        Path file = dir.resolve("keys/node.key");
        Run r = Run.of("keygen", "--out", file.toString());
        assertEquals(0, r.exitCode, r::toString);
        String printed = r.out.trim();
        assertEquals(64, printed.length(), "stdout is the node id alone: " + r.out);
        assertEquals(printed, Identities.load(file).nodeId().hex());
        assertEquals("ed25519", Identities.load(file).scheme());
        assertTrue(r.err.contains(printed.substring(0, 8)), r::toString);
    }

    @Test
    void refusesToOverwriteWithoutForce() throws Exception {
        Path file = dir.resolve("node.key");
        assertEquals(0, Run.of("keygen", "--out", file.toString()).exitCode);
        byte[] original = Files.readAllBytes(file);

        Run again = Run.of("keygen", "--out", file.toString());
        assertEquals(Meshkit.EXIT_FAILURE, again.exitCode, again::toString);
        assertTrue(again.err.contains("already exists") && again.err.contains("--force"), again::toString);
        assertTrue(again.out.isEmpty(), "no id is printed when nothing was written");
        assertArrayEquals(original, Files.readAllBytes(file), "the existing key must be untouched");

        Run forced = Run.of("keygen", "--out", file.toString(), "--force");
        assertEquals(0, forced.exitCode, forced::toString);
        assertNotEquals(new String(original), new String(Files.readAllBytes(file)));
        assertEquals(forced.out.trim(), Identities.load(file).nodeId().hex());
    }

    @Test
    void anUnknownSchemeIsAUsageError() {
        Run r = Run.of("keygen", "--out", dir.resolve("k").toString(), "--scheme", "rot13");
        assertEquals(Meshkit.EXIT_USAGE, r.exitCode, r::toString);
        assertTrue(r.err.contains("rot13"), r::toString);
        assertTrue(!Files.exists(dir.resolve("k")));
    }
}
