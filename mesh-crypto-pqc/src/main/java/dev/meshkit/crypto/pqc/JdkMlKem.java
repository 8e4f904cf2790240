package dev.meshkit.crypto.pqc;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.spec.NamedParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import javax.crypto.SecretKey;

/**
 * ML-KEM-768 on the JDK's own provider (JEP 496, JDK 24 and later). The {@code javax.crypto.KEM}
 * API is newer than the Java 17 this module is compiled for, so its methods are looked up once, when
 * the engine is made, and called through method handles; key pair generation and key decoding are
 * Java 17 API and are called directly.
 *
 * <p>The JDK hands out an encapsulation key as a SubjectPublicKeyInfo and reads one back in that
 * form, so the raw key on the wire is cut out of that encoding and wrapped back into it
 * ({@link KeyDer#ML_KEM_768_PUBLIC}). Private keys never leave the JDK.
 */
final class JdkMlKem implements MlKemEngine {
    private static final String ALGORITHM = "ML-KEM-768";

    private final KeyFactory keys;
    /** A {@code javax.crypto.KEM}: immutable, so one serves every thread. */
    private final Object kem;
    /** {@code KEM.newEncapsulator(PublicKey, SecureRandom)}. */
    private final MethodHandle newEncapsulator;
    /** {@code KEM.Encapsulator.encapsulate()}. */
    private final MethodHandle encapsulate;
    /** {@code KEM.Encapsulated.key()}. */
    private final MethodHandle encapsulatedKey;
    /** {@code KEM.Encapsulated.encapsulation()}. */
    private final MethodHandle encapsulatedCiphertext;
    /** {@code KEM.newDecapsulator(PrivateKey)}. */
    private final MethodHandle newDecapsulator;
    /** {@code KEM.Decapsulator.decapsulate(byte[])}. */
    private final MethodHandle decapsulate;

    private JdkMlKem() throws NoSuchAlgorithmException, ReflectiveOperationException {
        // Asked for here so that a JDK without ML-KEM is found out now, not at the first handshake.
        KeyPairGenerator.getInstance(ALGORITHM);
        keys = KeyFactory.getInstance(ALGORITHM);
        Class<?> kemType = Class.forName("javax.crypto.KEM");
        Class<?> encapsulator = Class.forName("javax.crypto.KEM$Encapsulator");
        Class<?> encapsulated = Class.forName("javax.crypto.KEM$Encapsulated");
        Class<?> decapsulator = Class.forName("javax.crypto.KEM$Decapsulator");
        kem = kemType.getMethod("getInstance", String.class).invoke(null, ALGORITHM);
        newEncapsulator = method(kemType, "newEncapsulator", encapsulator, PublicKey.class, SecureRandom.class);
        encapsulate = method(encapsulator, "encapsulate", encapsulated);
        encapsulatedKey = method(encapsulated, "key", SecretKey.class);
        encapsulatedCiphertext = method(encapsulated, "encapsulation", byte[].class);
        newDecapsulator = method(kemType, "newDecapsulator", decapsulator, PrivateKey.class);
        decapsulate = method(decapsulator, "decapsulate", SecretKey.class, byte[].class);
    }

    /** The JDK's engine, or {@code null} if this JDK has no ML-KEM-768. */
    static JdkMlKem ifAvailable() {
        try {
            return new JdkMlKem();
        } catch (NoSuchAlgorithmException | ReflectiveOperationException e) {
            // Before Java 21 there is no KEM class; before 24 there is no ML-KEM behind it.
            return null;
        }
    }

    private static MethodHandle method(Class<?> owner, String name, Class<?> returns, Class<?>... parameters)
            throws ReflectiveOperationException {
        return MethodHandles.publicLookup().findVirtual(owner, name, MethodType.methodType(returns, parameters));
    }

    @Override
    public String name() {
        return "jdk";
    }

    @Override
    public DecapsulationKey generate(SecureRandom random) {
        KeyPair pair;
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance(ALGORITHM);
            g.initialize(new NamedParameterSpec(ALGORITHM), random);
            pair = g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK could not make an " + ALGORITHM + " key pair", e);
        }
        return keys(KeyDer.ML_KEM_768_PUBLIC.unwrap(pair.getPublic().getEncoded()), pair.getPrivate());
    }

    /** A key pair around a private key the JDK has generated or decoded, and its raw encapsulation key. */
    DecapsulationKey keys(byte[] encapsulationKey, PrivateKey key) {
        // The decapsulator checks the key once (FIPS 203 section 7.3) and then serves every call.
        return new Keys(encapsulationKey, key, call(() -> newDecapsulator.invoke(kem, key), "private key"));
    }

    @Override
    public Encapsulation encapsulate(byte[] encapsulationKey, SecureRandom random) {
        // The key factory takes a key with unreduced coefficients; newEncapsulator is where the JDK
        // runs the modulus check of FIPS 203 section 7.2, and refuses it.
        Object encapsulated = call(() -> {
            PublicKey key;
            synchronized (keys) {
                key = keys.generatePublic(new X509EncodedKeySpec(KeyDer.ML_KEM_768_PUBLIC.wrap(encapsulationKey)));
            }
            return encapsulate.invoke(newEncapsulator.invoke(kem, key, random));
        }, "encapsulation key");
        SecretKey secret = call(() -> (SecretKey) encapsulatedKey.invoke(encapsulated), "encapsulation");
        byte[] ciphertext = call(() -> (byte[]) encapsulatedCiphertext.invoke(encapsulated), "encapsulation");
        return new Encapsulation(erasedAfterCopy(secret), ciphertext);
    }

    /**
     * The key's bytes (a copy, by contract), then an attempt at erasing the key's own: the JDK's
     * {@code SecretKeySpec} refuses, but another provider's key may not.
     */
    private static byte[] erasedAfterCopy(SecretKey secret) {
        byte[] bytes = secret.getEncoded();
        MlKemEngine.destroy(secret);
        return bytes;
    }

    /**
     * Runs calls into the KEM API, which method handles declare as throwing anything. Its checked
     * exceptions ({@code InvalidKeyException}, {@code DecapsulateException}, and the key factory's
     * {@code InvalidKeySpecException}) all mean the input is unusable.
     */
    private static <T> T call(KemCall<T> call, String input) {
        try {
            return call.run();
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("the JDK refuses the " + ALGORITHM + " " + input + ": "
                    + e.getMessage(), e);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("unexpected failure in the JDK's " + ALGORITHM, e);
        }
    }

    @FunctionalInterface
    private interface KemCall<T> {
        T run() throws Throwable;
    }

    /** A decapsulator is immutable, so any thread may decapsulate. */
    private final class Keys implements DecapsulationKey {
        private final byte[] encapsulationKey;
        private final PrivateKey key;
        private final Object decapsulator;

        Keys(byte[] encapsulationKey, PrivateKey key, Object decapsulator) {
            this.encapsulationKey = encapsulationKey;
            this.key = key;
            this.decapsulator = decapsulator;
        }

        @Override
        public byte[] encapsulationKey() {
            return encapsulationKey.clone();
        }

        @Override
        public byte[] decapsulate(byte[] ciphertext) {
            return erasedAfterCopy(call(() -> (SecretKey) decapsulate.invoke(decapsulator, ciphertext), "ciphertext"));
        }

        @Override
        public void destroy() {
            // The JDK's private key erases its bytes, which (in JDK 25 at least) are the very array the
            // decapsulator reads; the decapsulator itself has no way to be erased.
            MlKemEngine.destroy(key);
        }
    }
}
