package dev.meshkit.core.identity;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.meshkit.api.ErrorCode;
import dev.meshkit.api.MeshException;
import dev.meshkit.api.spi.KeyMaterial;
import dev.meshkit.core.Identities;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IdentitiesTest {
    @TempDir
    Path dir;

    private static ErrorCode codeOf(org.junit.jupiter.api.function.Executable call) {
        return assertThrows(MeshException.class, call).code();
    }

    private static boolean posix(Path p) {
        return p.getFileSystem().supportedFileAttributeViews().contains("posix");
    }

    // ---- schemes

    @Test
    void findsTheBuiltInScheme() {
        assertEquals("ed25519", Identities.scheme(null).name());
        assertEquals("ed25519", Identities.scheme("ed25519").name());
        assertEquals("ed25519", Identities.scheme("Ed25519").name());
        assertEquals("ed25519", Identities.generate(null).scheme());
        assertEquals("ed25519", Identities.generate("ED25519").scheme());
    }

    @Test
    void unknownSchemeIsAMissingProvider() {
        assertEquals(ErrorCode.MISSING_PROVIDER, codeOf(() -> Identities.scheme("rot13")));
        assertEquals(ErrorCode.MISSING_PROVIDER, codeOf(() -> Identities.generate("rot13")));
        MeshException e = assertThrows(MeshException.class, () -> Identities.generate("rot13"));
        assertTrue(e.getMessage().contains("ed25519"), "names what is available: " + e.getMessage());
    }

    @Test
    void generatedKeysWork() {
        KeyMaterial keys = Identities.generate(null);
        byte[] data = {1, 2, 3};
        var scheme = Identities.scheme(keys.scheme());
        assertTrue(scheme.verifier(keys.publicKey()).verify(data, scheme.signer(keys).sign(data)));
    }

    // ---- save and load

    @Test
    void saveThenLoadRoundTrips() {
        KeyMaterial keys = Identities.generate(null);
        Path file = dir.resolve("node.key");
        Identities.save(keys, file);
        KeyMaterial loaded = Identities.load(file);
        assertEquals(keys.scheme(), loaded.scheme());
        assertArrayEquals(keys.publicKey(), loaded.publicKey());
        assertArrayEquals(keys.privateKey(), loaded.privateKey());
        assertEquals(keys.nodeId(), loaded.nodeId());
    }

    @Test
    void fileHasTheDocumentedShape() throws IOException {
        KeyMaterial keys = Identities.generate(null);
        Path file = dir.resolve("node.key");
        Identities.save(keys, file);
        String text = Files.readString(file);
        assertTrue(text.contains("\"format\": \"meshkit-key-v1\""), text);
        assertTrue(text.contains("\"scheme\": \"ed25519\""), text);
        assertTrue(text.contains("\"public\": \"" + Base64.getEncoder().encodeToString(keys.publicKey()) + "\""));
        assertTrue(text.contains("\"private\": \"" + Base64.getEncoder().encodeToString(keys.privateKey()) + "\""));
        assertTrue(text.contains("\"id\": \"" + keys.nodeId().hex() + "\""), text);
        assertTrue(text.endsWith("}\n"));
    }

    @Test
    void savedFileIsOwnerOnly() throws IOException {
        assumeTrue(posix(dir), "file system has no POSIX permissions");
        Path file = dir.resolve("node.key");
        Identities.save(Identities.generate(null), file);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        Identities.save(Identities.generate(null), file, true);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    }

    @Test
    void missingParentDirectoriesAreCreated() {
        Path file = dir.resolve("a/b/c/node.key");
        KeyMaterial keys = Identities.generate(null);
        Identities.save(keys, file);
        assertEquals(keys.nodeId(), Identities.load(file).nodeId());
    }

    @Test
    void existingFileIsNotOverwritten() throws IOException {
        Path file = dir.resolve("node.key");
        KeyMaterial first = Identities.generate(null);
        Identities.save(first, file);
        byte[] before = Files.readAllBytes(file);
        assertEquals(ErrorCode.IDENTITY, codeOf(() -> Identities.save(Identities.generate(null), file)));
        assertEquals(ErrorCode.IDENTITY, codeOf(() -> Identities.save(Identities.generate(null), file, false)));
        assertArrayEquals(before, Files.readAllBytes(file));
        assertEquals(first.nodeId(), Identities.load(file).nodeId());
        assertNoTemporaryFiles();
    }

    @Test
    void anyExistingFileIsProtected() throws IOException {
        Path file = dir.resolve("precious.txt");
        Files.writeString(file, "not a key, but still not ours to replace");
        assertEquals(ErrorCode.IDENTITY, codeOf(() -> Identities.save(Identities.generate(null), file)));
        assertEquals("not a key, but still not ours to replace", Files.readString(file));
    }

    @Test
    void overwriteReplacesWhenAsked() {
        Path file = dir.resolve("node.key");
        Identities.save(Identities.generate(null), file);
        KeyMaterial second = Identities.generate(null);
        Identities.save(second, file, true);
        assertEquals(second.nodeId(), Identities.load(file).nodeId());
        assertNoTemporaryFiles();
    }

    @Test
    void incompleteKeysAreNotSaved() {
        Path file = dir.resolve("node.key");
        KeyMaterial keys = Identities.generate(null);
        assertEquals(ErrorCode.IDENTITY,
                codeOf(() -> Identities.save(new KeyMaterial("ed25519", keys.publicKey(), new byte[0]), file)));
        assertEquals(ErrorCode.IDENTITY,
                codeOf(() -> Identities.save(new KeyMaterial(" ", keys.publicKey(), keys.privateKey()), file)));
        assertFalse(Files.exists(file));
    }

    private void assertNoTemporaryFiles() {
        try (Stream<Path> files = Files.list(dir)) {
            List<String> names = files.map(p -> p.getFileName().toString()).toList();
            assertEquals(List.of("node.key"), names);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    // ---- bad files

    @Test
    void missingFileIsAnIdentityError() {
        MeshException e = assertThrows(MeshException.class, () -> Identities.load(dir.resolve("nope.key")));
        assertEquals(ErrorCode.IDENTITY, e.code());
        assertTrue(e.getMessage().contains("nope.key"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "", "   ", "garbage", "[]", "null", "{", "{}", "{\"format\":\"meshkit-key-v1\"}",
        "{\"format\":\"meshkit-key-v2\",\"scheme\":\"ed25519\",\"public\":\"AA==\",\"private\":\"AA==\",\"id\":\"00\"}",
        "{\"format\":1}", "{\"format\":\"meshkit-key-v1\",\"format\":\"meshkit-key-v1\"}",
        "{\"format\":\"meshkit-key-v1\",\"scheme\":\"ed25519\",\"public\":\"!!\",\"private\":\"AA==\",\"id\":\"00\"}",
        "{\"format\":\"meshkit-key-v1\",\"scheme\":\"ed25519\",\"public\":\"\",\"private\":\"AA==\",\"id\":\"00\"}",
    })
    void corruptFilesAreIdentityErrors(String content) throws IOException {
        Path file = dir.resolve("bad.key");
        Files.writeString(file, content);
        assertEquals(ErrorCode.IDENTITY, codeOf(() -> Identities.load(file)));
    }

    @Test
    void damagedValidFilesAreIdentityErrors() throws IOException {
        Path file = dir.resolve("node.key");
        Identities.save(Identities.generate(null), file);
        String good = Files.readString(file);

        Path truncated = dir.resolve("truncated.key");
        Files.writeString(truncated, good.substring(0, good.length() / 2));
        assertEquals(ErrorCode.IDENTITY, codeOf(() -> Identities.load(truncated)));

        Path trailing = dir.resolve("trailing.key");
        Files.writeString(trailing, good + "{}");
        assertEquals(ErrorCode.IDENTITY, codeOf(() -> Identities.load(trailing)));

        Path binary = dir.resolve("binary.key");
        byte[] bytes = good.getBytes(UTF_8);
        bytes[bytes.length / 2] = (byte) 0xff;
        Files.write(binary, bytes);
        assertEquals(ErrorCode.IDENTITY, codeOf(() -> Identities.load(binary)));

        Path huge = dir.resolve("huge.key");
        Files.writeString(huge, good.replace("{", "{\"pad\":\"" + "x".repeat(100_000) + "\","));
        assertEquals(ErrorCode.IDENTITY, codeOf(() -> Identities.load(huge)));
    }

    @Test
    void idThatIsNotTheHashOfThePublicKeyIsRefused() throws IOException {
        KeyMaterial keys = Identities.generate(null);
        KeyMaterial other = Identities.generate(null);
        Path file = dir.resolve("node.key");
        Identities.save(keys, file);
        Files.writeString(file, Files.readString(file).replace(keys.nodeId().hex(), other.nodeId().hex()));
        MeshException e = assertThrows(MeshException.class, () -> Identities.load(file));
        assertEquals(ErrorCode.IDENTITY, e.code());
        assertTrue(e.getMessage().contains("SHA-256"), e.getMessage());
    }

    @Test
    void privateKeyThatDoesNotMatchThePublicKeyIsRefused() throws IOException {
        KeyMaterial keys = Identities.generate(null);
        KeyMaterial other = Identities.generate(null);
        Path file = dir.resolve("node.key");
        Identities.save(keys, file);
        String b64 = Base64.getEncoder().encodeToString(keys.privateKey());
        Files.writeString(file, Files.readString(file)
                .replace(b64, Base64.getEncoder().encodeToString(other.privateKey())));
        assertEquals(ErrorCode.IDENTITY, codeOf(() -> Identities.load(file)));
    }

    @Test
    void unknownMembersAreIgnored() throws IOException {
        KeyMaterial keys = Identities.generate(null);
        Path file = dir.resolve("node.key");
        Identities.save(keys, file);
        Files.writeString(file, Files.readString(file).replace("{", "{\"created\":\"2025-01-01\",\"tags\":[1,{}],"));
        assertEquals(keys.nodeId(), Identities.load(file).nodeId());
    }

    @Test
    void keysOfASchemeThatIsNotInstalledStillLoad() throws IOException {
        // The node reports the missing scheme when it starts; a tool listing key files should still work.
        byte[] pk = {1, 2, 3};
        Path file = dir.resolve("pq.key");
        Identities.save(new KeyMaterial("ml-dsa-65", pk, new byte[] {4, 5}), file);
        KeyMaterial loaded = Identities.load(file);
        assertEquals("ml-dsa-65", loaded.scheme());
        assertArrayEquals(pk, loaded.publicKey());
    }

    // ---- loadOrCreate

    @Test
    void loadOrCreateCreatesOnceThenLoads() throws IOException {
        Path file = dir.resolve("node.key");
        KeyMaterial created = Identities.loadOrCreate(file, null);
        assertTrue(Files.exists(file));
        if (posix(dir)) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        }
        KeyMaterial loaded = Identities.loadOrCreate(file, "ed25519");
        assertEquals(created.nodeId(), loaded.nodeId());
        assertArrayEquals(created.privateKey(), loaded.privateKey());
    }

    @Test
    void loadOrCreateRefusesAFileOfAnotherScheme() {
        Path file = dir.resolve("node.key");
        Identities.loadOrCreate(file, "ed25519");
        assertEquals(ErrorCode.IDENTITY, codeOf(() -> Identities.loadOrCreate(file, "ml-dsa-65")));
    }

    @Test
    void loadOrCreateWithAnUnknownSchemeCreatesNothing() {
        Path file = dir.resolve("node.key");
        assertEquals(ErrorCode.MISSING_PROVIDER, codeOf(() -> Identities.loadOrCreate(file, "rot13")));
        assertFalse(Files.exists(file));
    }

    @Test
    void loadOrCreateDoesNotReplaceACorruptFile() throws IOException {
        Path file = dir.resolve("node.key");
        Files.writeString(file, "{oops");
        assertEquals(ErrorCode.IDENTITY, codeOf(() -> Identities.loadOrCreate(file, null)));
        assertEquals("{oops", Files.readString(file));
    }

    @Test
    void racingCreatorsEndUpWithOneIdentity() throws Exception {
        Path file = dir.resolve("shared.key");
        int threads = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<KeyMaterial>> results = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                results.add(pool.submit(() -> {
                    start.await();
                    return Identities.loadOrCreate(file, null);
                }));
            }
            start.countDown();
            Set<String> ids = new HashSet<>();
            for (Future<KeyMaterial> r : results) {
                ids.add(r.get().nodeId().hex());
            }
            assertEquals(Set.of(Identities.load(file).nodeId().hex()), ids);
        } finally {
            pool.shutdownNow();
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(1, files.count(), "no temporary files left behind");
        }
    }
}
