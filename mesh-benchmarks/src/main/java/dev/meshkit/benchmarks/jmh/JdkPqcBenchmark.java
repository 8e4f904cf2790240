package dev.meshkit.benchmarks.jmh;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import javax.crypto.SecretKey;
import org.bouncycastle.math.ec.rfc7748.X25519;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The JDK's own ML-DSA-65 and ML-KEM-768 (JDK 24 and later), called directly: the raw primitives
 * that {@link PqcBenchmark}'s MeshKit calls are measured against when the JDK engines are chosen.
 * Run it on such a JDK; on an older one its setup fails. The hybrid steps by hand pair Bouncy
 * Castle's X25519 with the JDK's ML-KEM, as the node does on these JDKs. {@code javax.crypto.KEM}
 * is newer than the Java 17 this module compiles for, so it is reached through method handles made
 * once in the setup.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class JdkPqcBenchmark {
    /** The fixed SubjectPublicKeyInfo head of an ML-KEM-768 encapsulation key. */
    private static final int KEM_SPKI_HEAD = 22;
    private final SecureRandom random = new SecureRandom();
    private byte[] message;
    private KeyPair dsa;
    private byte[] signature;
    private KeyPairGenerator kemGenerator;
    private KeyFactory kemKeys;
    private KeyPair kem;
    private byte[] ciphertext;
    private byte[] spkiHead;
    private byte[] rawPublic;
    private byte[] peerX25519;
    private Object kemEngine;
    private MethodHandle newEncapsulator;
    private MethodHandle encapsulate;
    private MethodHandle encapsulatedKey;
    private MethodHandle encapsulation;
    private MethodHandle newDecapsulator;
    private MethodHandle decapsulate;

    /** Keys, one signature and one encapsulation, checked before measuring. */
    @Setup
    public void setUp() throws Throwable {
        message = Fixtures.payload(1024, 3);
        dsa = KeyPairGenerator.getInstance("ML-DSA-65").generateKeyPair();
        signature = jdkSign();
        if (!jdkVerify()) {
            throw new IllegalStateException("a good signature does not verify");
        }
        kemGenerator = KeyPairGenerator.getInstance("ML-KEM-768");
        kemKeys = KeyFactory.getInstance("ML-KEM-768");
        kem = kemGenerator.generateKeyPair();
        byte[] encoded = kem.getPublic().getEncoded();
        spkiHead = Arrays.copyOf(encoded, KEM_SPKI_HEAD);
        rawPublic = Arrays.copyOfRange(encoded, KEM_SPKI_HEAD, encoded.length);
        Class<?> type = Class.forName("javax.crypto.KEM");
        Class<?> encapsulatorType = Class.forName("javax.crypto.KEM$Encapsulator");
        Class<?> encapsulatedType = Class.forName("javax.crypto.KEM$Encapsulated");
        Class<?> decapsulatorType = Class.forName("javax.crypto.KEM$Decapsulator");
        kemEngine = type.getMethod("getInstance", String.class).invoke(null, "ML-KEM-768");
        MethodHandles.Lookup lookup = MethodHandles.publicLookup();
        newEncapsulator = lookup.findVirtual(type, "newEncapsulator",
                MethodType.methodType(encapsulatorType, PublicKey.class, SecureRandom.class));
        encapsulate = lookup.findVirtual(encapsulatorType, "encapsulate", MethodType.methodType(encapsulatedType));
        encapsulatedKey = lookup.findVirtual(encapsulatedType, "key", MethodType.methodType(SecretKey.class));
        encapsulation = lookup.findVirtual(encapsulatedType, "encapsulation", MethodType.methodType(byte[].class));
        newDecapsulator = lookup.findVirtual(type, "newDecapsulator",
                MethodType.methodType(decapsulatorType, PrivateKey.class));
        decapsulate = lookup.findVirtual(decapsulatorType, "decapsulate",
                MethodType.methodType(SecretKey.class, byte[].class));
        Object encapsulated = encapsulate.invoke(newEncapsulator.invoke(kemEngine, kem.getPublic(), random));
        ciphertext = (byte[]) encapsulation.invoke(encapsulated);
        byte[] sent = ((SecretKey) encapsulatedKey.invoke(encapsulated)).getEncoded();
        if (!Arrays.equals(sent, jdkDecaps())) {
            throw new IllegalStateException("ML-KEM secrets differ");
        }
        byte[] x = new byte[X25519.SCALAR_SIZE];
        peerX25519 = new byte[X25519.POINT_SIZE];
        X25519.generatePrivateKey(random, x);
        X25519.generatePublicKey(x, 0, peerX25519, 0);
    }

    /** JDK: ML-DSA-65 signature of 1 KB. */
    @Benchmark
    public byte[] jdkSign() throws Exception {
        Signature s = Signature.getInstance("ML-DSA-65");
        s.initSign(dsa.getPrivate(), random);
        s.update(message);
        return s.sign();
    }

    /** JDK: ML-DSA-65 verification of 1 KB. */
    @Benchmark
    public boolean jdkVerify() throws Exception {
        Signature s = Signature.getInstance("ML-DSA-65");
        s.initVerify(dsa.getPublic());
        s.update(message);
        return s.verify(signature);
    }

    /** JDK: ML-KEM-768 key generation. */
    @Benchmark
    public KeyPair jdkKemKeyGen() {
        return kemGenerator.generateKeyPair();
    }

    /** JDK: ML-KEM-768 encapsulation. */
    @Benchmark
    public Object jdkEncaps() throws Throwable {
        return encapsulate.invoke(newEncapsulator.invoke(kemEngine, kem.getPublic(), random));
    }

    /** JDK: ML-KEM-768 decapsulation. */
    @Benchmark
    public byte[] jdkDecaps() throws Throwable {
        return ((SecretKey) decapsulate.invoke(newDecapsulator.invoke(kemEngine, kem.getPrivate()), ciphertext))
                .getEncoded();
    }

    /** By hand: the dialler's first step, X25519 key and a JDK ML-KEM key pair with its raw public key. */
    @Benchmark
    public byte[] rawOffer() {
        byte[] x = new byte[X25519.SCALAR_SIZE];
        byte[] xp = new byte[X25519.POINT_SIZE];
        X25519.generatePrivateKey(random, x);
        X25519.generatePublicKey(x, 0, xp, 0);
        byte[] spki = kemGenerator.generateKeyPair().getPublic().getEncoded();
        return Arrays.copyOfRange(spki, KEM_SPKI_HEAD, spki.length);
    }

    /** By hand: the listener's step, X25519 key and agreement, the raw key decoded and encapsulated to. */
    @Benchmark
    public byte[] rawAnswer() throws Throwable {
        byte[] x = new byte[X25519.SCALAR_SIZE];
        byte[] xp = new byte[X25519.POINT_SIZE];
        byte[] shared = new byte[X25519.POINT_SIZE];
        X25519.generatePrivateKey(random, x);
        X25519.generatePublicKey(x, 0, xp, 0);
        X25519.calculateAgreement(x, 0, peerX25519, 0, shared, 0);
        byte[] spki = Arrays.copyOf(spkiHead, KEM_SPKI_HEAD + rawPublic.length);
        System.arraycopy(rawPublic, 0, spki, KEM_SPKI_HEAD, rawPublic.length);
        PublicKey key = kemKeys.generatePublic(new X509EncodedKeySpec(spki));
        return (byte[]) encapsulation.invoke(encapsulate.invoke(newEncapsulator.invoke(kemEngine, key, random)));
    }

    /** By hand: the dialler's whole side (offer made in the call), as MeshKit's offer-and-finish. */
    @Benchmark
    public byte[] rawOfferAndFinish() throws Throwable {
        byte[] x = new byte[X25519.SCALAR_SIZE];
        byte[] xp = new byte[X25519.POINT_SIZE];
        byte[] shared = new byte[X25519.POINT_SIZE];
        X25519.generatePrivateKey(random, x);
        X25519.generatePublicKey(x, 0, xp, 0);
        KeyPair pair = kemGenerator.generateKeyPair();
        X25519.calculateAgreement(x, 0, peerX25519, 0, shared, 0);
        return ((SecretKey) decapsulate.invoke(newDecapsulator.invoke(kemEngine, pair.getPrivate()), ciphertext))
                .getEncoded();
    }
}
