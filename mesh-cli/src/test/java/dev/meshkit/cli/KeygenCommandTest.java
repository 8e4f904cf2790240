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
        assertEquals("ml-dsa-65", Identities.load(file).scheme(), "the strongest installed scheme");
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

    @Test
    void anEncryptedKeyFileNeedsItsPassphraseHereAndInTheNodeCommand() throws Exception {
        Path pass = dir.resolve("pass.txt");
        Files.writeString(pass, "a long and private passphrase\n");
        Path file = dir.resolve("enc.key");
        Run r = Run.of("keygen", "--scheme", "ml-dsa-65", "--encrypt", "--passphrase-file", pass.toString(),
                "--out", file.toString());
        assertEquals(0, r.exitCode, r::toString);
        assertTrue(r.err.contains("encrypted ml-dsa-65"), r::toString);
        assertTrue(Files.readString(file).contains("argon2id"));
        assertEquals(r.out.trim(), Identities.load(file, "a long and private passphrase".toCharArray())
                .nodeId().hex());

        Run node = Run.of("node", "--key", file.toString(), "--listen", "ws://127.0.0.1:0");
        assertEquals(Meshkit.EXIT_FAILURE, node.exitCode, node::toString);
        assertTrue(node.err.contains("passphrase is needed"), node::toString);
        Path wrong = dir.resolve("wrong.txt");
        Files.writeString(wrong, "not it\n");
        Run bad = Run.of("node", "--key", file.toString(), "--passphrase-file", wrong.toString(), "--listen",
                "ws://127.0.0.1:0");
        assertEquals(Meshkit.EXIT_FAILURE, bad.exitCode, bad::toString);
        assertTrue(bad.err.contains("wrong passphrase"), bad::toString);
    }

    @Test
    void encryptWithoutAPassphraseIsAUsageError() {
        // Only meaningful where the environment gives no passphrase, as on a build machine.
        org.junit.jupiter.api.Assumptions.assumeTrue(System.getenv(PassphraseOptions.ENV) == null);
        Run r = Run.of("keygen", "--encrypt", "--out", dir.resolve("k").toString());
        assertEquals(Meshkit.EXIT_USAGE, r.exitCode, r::toString);
        assertTrue(r.err.contains("--passphrase-file"), r::toString);
        assertTrue(!Files.exists(dir.resolve("k")));
    }
}
