package dev.meshkit.core;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * A secret encrypted under a passphrase: Argon2id (RFC 9106) turns the passphrase and a random salt
 * into an AES-256-GCM key, which seals the secret with associated data that binds it to its context
 * (the rest of the key file), so the sealed value cannot be moved to another file.
 *
 * @param memoryKib   Argon2 memory in KiB
 * @param iterations  Argon2 passes
 * @param parallelism Argon2 lanes
 * @param salt        random, 16 bytes when made here
 * @param nonce       the GCM nonce, 12 bytes
 * @param ciphertext  the sealed secret and its 16-byte tag
 */
record PassphraseSeal(int memoryKib, int iterations, int parallelism, byte[] salt, byte[] nonce, byte[] ciphertext) {
    /** RFC 9106's second recommended setting, with one lane: 64 MiB, 3 passes. */
    static final int MEMORY_KIB = 64 * 1024;
    static final int ITERATIONS = 3;
    static final int PARALLELISM = 1;
    // What a reader accepts: enough for any sane setting, bounded so a hostile file cannot make a node
    // allocate or spin at will.
    private static final int MAX_MEMORY_KIB = 256 * 1024;
    private static final int MAX_ITERATIONS = 16;
    private static final int MAX_PARALLELISM = 16;

    /** Checks a setting read from a file before any work is done with it. */
    boolean plausible() {
        // Also within a quarter of this JVM's heap: an OutOfMemoryError is no way to report a bad file.
        long heapKib = Runtime.getRuntime().maxMemory() / 1024;
        return memoryKib >= 8 * parallelism && memoryKib <= MAX_MEMORY_KIB && memoryKib <= heapKib / 4
                && iterations >= 1
                && iterations <= MAX_ITERATIONS && parallelism >= 1 && parallelism <= MAX_PARALLELISM
                && salt.length >= 16 && salt.length <= 64 && nonce.length == 12 && ciphertext.length > 16;
    }

    /** Seals {@code secret} under {@code passphrase}. */
    static PassphraseSeal seal(byte[] secret, char[] passphrase, byte[] context) {
        SecureRandom random = new SecureRandom();
        byte[] salt = new byte[16];
        byte[] nonce = new byte[12];
        random.nextBytes(salt);
        random.nextBytes(nonce);
        byte[] key = derive(passphrase, salt, MEMORY_KIB, ITERATIONS, PARALLELISM);
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, nonce));
            c.updateAAD(aad(context, MEMORY_KIB, ITERATIONS, PARALLELISM));
            return new PassphraseSeal(MEMORY_KIB, ITERATIONS, PARALLELISM, salt, nonce, c.doFinal(secret));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM failed", e);
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    /** The secret, or {@code null} if the passphrase is wrong or anything sealed was altered. */
    byte[] open(char[] passphrase, byte[] context) {
        byte[] key = derive(passphrase, salt, memoryKib, iterations, parallelism);
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, nonce));
            c.updateAAD(aad(context, memoryKib, iterations, parallelism));
            return c.doFinal(ciphertext);
        } catch (AEADBadTagException e) {
            return null;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM failed", e);
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    private static byte[] derive(char[] passphrase, byte[] salt, int memoryKib, int iterations, int parallelism) {
        Argon2BytesGenerator g = new Argon2BytesGenerator();
        g.init(new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withMemoryAsKB(memoryKib)
                .withIterations(iterations)
                .withParallelism(parallelism)
                .withSalt(salt)
                .build());
        byte[] key = new byte[32];
        g.generateBytes(passphrase, key);
        return key;
    }

    private static byte[] aad(byte[] context, int memoryKib, int iterations, int parallelism) {
        byte[] settings = ("argon2id m=" + memoryKib + " t=" + iterations + " p=" + parallelism + "\n")
                .getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[] out = Arrays.copyOf(settings, settings.length + context.length);
        System.arraycopy(context, 0, out, settings.length, context.length);
        return out;
    }
}
