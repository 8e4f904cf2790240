package dev.meshkit.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshkit.api.ErrorCode;
import dev.meshkit.api.MeshException;
import dev.meshkit.api.spi.KeyMaterial;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EncryptedKeyFileTest {
    private static final char[] PASSPHRASE = "correct horse battery staple".toCharArray();

    @TempDir
    Path dir;

    private MeshException failure(Path file, char[] passphrase) {
        MeshException e = assertThrows(MeshException.class, () -> Identities.load(file, passphrase));
        assertEquals(ErrorCode.IDENTITY, e.code());
        return e;
    }

    @Test
    void theFileKeepsThePrivateKeyOnlyEncryptedAndThePassphraseOpensIt() throws Exception {
        KeyMaterial keys = Identities.generate("ed25519");
        Path file = dir.resolve("node.key");
        Identities.save(keys, file, false, PASSPHRASE);
        String text = Files.readString(file, StandardCharsets.UTF_8);
        assertFalse(text.contains(Base64.getEncoder().encodeToString(keys.privateKey())), text);
        assertFalse(text.contains("\"private\": \"" + Base64.getEncoder().encodeToString(keys.privateKey())));
        assertTrue(text.contains("argon2id") && text.contains(keys.nodeId().hex()), text);
        KeyMaterial loaded = Identities.load(file, PASSPHRASE);
        assertArrayEquals(keys.privateKey(), loaded.privateKey());
        assertEquals(keys.nodeId(), loaded.nodeId());

        assertTrue(failure(file, null).getMessage().contains("passphrase is needed"));
        assertTrue(failure(file, "Correct horse battery staple".toCharArray()).getMessage()
                .contains("wrong passphrase"));
    }

    @Test
    void theSealedKeyCannotBeMovedUnderAnotherPublicKey() throws Exception {
        KeyMaterial keys = Identities.generate("ed25519");
        KeyMaterial other = Identities.generate("ed25519");
        Path file = dir.resolve("a.key");
        Identities.save(keys, file, false, PASSPHRASE);
        // A consistent public key and id of another node, the sealed private key left as it was.
        String text = Files.readString(file, StandardCharsets.UTF_8)
                .replace(Base64.getEncoder().encodeToString(keys.publicKey()),
                        Base64.getEncoder().encodeToString(other.publicKey()))
                .replace(keys.nodeId().hex(), other.nodeId().hex());
        Path moved = dir.resolve("moved.key");
        Files.writeString(moved, text, StandardCharsets.UTF_8);
        assertTrue(failure(moved, PASSPHRASE).getMessage().contains("wrong passphrase"));
    }

    @Test
    void hostileSettingsAreRefusedBeforeAnyWork() throws Exception {
        KeyMaterial keys = Identities.generate("ed25519");
        Path file = dir.resolve("b.key");
        Identities.save(keys, file, false, PASSPHRASE);
        String text = Files.readString(file, StandardCharsets.UTF_8);
        Path greedy = dir.resolve("greedy.key");
        Files.writeString(greedy, text.replace("\"memory-kib\": 65536", "\"memory-kib\": 2000000000"));
        assertTrue(failure(greedy, PASSPHRASE).getMessage().contains("out of range"));
        Path weak = dir.resolve("weak.key");
        Files.writeString(weak, text.replace("\"kdf\": \"argon2id\"", "\"kdf\": \"md5\""));
        assertTrue(failure(weak, PASSPHRASE).getMessage().contains("argon2id"));
        Path both = dir.resolve("both.key");
        Files.writeString(both, text.replace("\"id\":", "\"private\": \"AAAA\",\n  \"id\":"));
        assertTrue(failure(both, PASSPHRASE).getMessage().contains("both"));
    }
}
