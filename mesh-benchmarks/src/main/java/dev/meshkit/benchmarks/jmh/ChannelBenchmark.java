package dev.meshkit.benchmarks.jmh;

import dev.meshkit.api.ChannelSettings;
import dev.meshkit.core.channel.KeySchedule;
import dev.meshkit.core.channel.RecordOpener;
import dev.meshkit.core.channel.RecordSealer;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A link's records against the JDK's AES-256-GCM used directly, on the same plaintext sizes. The
 * raw variants do what a record needs at the least: a fresh nonce, the 13-byte header as associated
 * data, encrypt (or decrypt). {@code sealOpen} is a record sealed by one side and opened by the
 * other (the opener must see records in order, so each open follows its seal); the raw counterpart
 * encrypts and decrypts.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ChannelBenchmark {
    /** Plaintext bytes per record. */
    @Param({"64", "1024", "16384", "65536"})
    public int size;

    private byte[] plain;
    private RecordSealer sealer;
    private RecordOpener opener;
    private RecordSealer sealOnly;
    private Cipher encrypt;
    private Cipher decrypt;
    private SecretKeySpec key;
    private final byte[] iv = new byte[12];
    private final byte[] header = new byte[13];
    private long counter;

    /** Keys from a real key schedule; one record checked to round-trip. */
    @Setup
    public void setUp() throws Exception {
        plain = Fixtures.payload(size, 5);
        byte[] secret = new byte[64];
        byte[] transcript = new byte[32];
        new SecureRandom().nextBytes(secret);
        new SecureRandom().nextBytes(transcript);
        // Rekeying at its defaults would add one HKDF step per 10,000 records; it is left in.
        KeySchedule keys = KeySchedule.derive(secret, null, transcript);
        sealer = keys.sealer(true, ChannelSettings.defaults(), System::currentTimeMillis);
        opener = KeySchedule.derive(secret, null, transcript).opener(false);
        sealOnly = KeySchedule.derive(secret, null, transcript).sealer(true, ChannelSettings.defaults(),
                System::currentTimeMillis);
        byte[] k = new byte[32];
        new SecureRandom().nextBytes(k);
        key = new SecretKeySpec(k, "AES");
        encrypt = Cipher.getInstance("AES/GCM/NoPadding");
        decrypt = Cipher.getInstance("AES/GCM/NoPadding");
        if (!java.util.Arrays.equals(plain, sealOpen()) || !java.util.Arrays.equals(plain, rawEncryptDecrypt())) {
            throw new IllegalStateException("a record does not round-trip");
        }
    }

    /** MeshKit: one record sealed. */
    @Benchmark
    public byte[] seal() {
        return sealOnly.seal(plain);
    }

    /** MeshKit: one record sealed, then opened by the other side. */
    @Benchmark
    public byte[] sealOpen() throws Exception {
        return opener.open(sealer.seal(plain));
    }

    /** JDK AES-256-GCM: one encryption with a fresh nonce and 13 bytes of associated data. */
    @Benchmark
    public byte[] rawEncrypt() throws GeneralSecurityException {
        byte[] out = new byte[13 + plain.length + 16];
        encrypt.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, nextNonce()));
        encrypt.updateAAD(header);
        encrypt.doFinal(plain, 0, plain.length, out, 13);
        return out;
    }

    /** JDK AES-256-GCM: an encryption and the matching decryption. */
    @Benchmark
    public byte[] rawEncryptDecrypt() throws GeneralSecurityException {
        byte[] nonce = nextNonce();
        encrypt.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, nonce));
        encrypt.updateAAD(header);
        byte[] ct = encrypt.doFinal(plain);
        decrypt.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, nonce));
        decrypt.updateAAD(header);
        return decrypt.doFinal(ct);
    }

    private byte[] nextNonce() {
        long c = counter++;
        byte[] n = iv.clone();
        for (int i = 0; i < 8; i++) {
            n[11 - i] ^= (byte) (c >>> (8 * i));
        }
        return n;
    }
}
