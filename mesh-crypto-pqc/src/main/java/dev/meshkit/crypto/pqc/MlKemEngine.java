package dev.meshkit.crypto.pqc;

import java.security.SecureRandom;
import javax.security.auth.DestroyFailedException;
import javax.security.auth.Destroyable;

/**
 * What runs ML-KEM-768 (FIPS 203) for {@link HybridKeyExchange}: Bouncy Castle, or the JDK's own
 * implementation where there is one. Keys and ciphertexts cross this interface in their raw FIPS 203
 * encodings, the form they take on the wire, so a link works whichever engine each end runs.
 */
interface MlKemEngine {
    /** Bytes in an encapsulation key. */
    int ENCAPSULATION_KEY_BYTES = 1184;
    /** Bytes in a ciphertext. */
    int CIPHERTEXT_BYTES = 1088;

    /** {@code bc} or {@code jdk}. */
    String name();

    /** A fresh key pair drawn from {@code random}. */
    DecapsulationKey generate(SecureRandom random);

    /**
     * A fresh secret for the holder of {@code encapsulationKey}, with {@code random} as the
     * encapsulation's randomness.
     *
     * @throws IllegalArgumentException if the key is not a usable ML-KEM-768 encapsulation key, which
     *     includes one whose coefficients are not reduced modulo q (the check of FIPS 203 section 7.2)
     */
    Encapsulation encapsulate(byte[] encapsulationKey, SecureRandom random);

    /** One side's key pair: the encapsulation key is published, the rest stays here. */
    interface DecapsulationKey {
        /** The raw encapsulation key. */
        byte[] encapsulationKey();

        /**
         * The secret in {@code ciphertext}. A ciphertext not made for this key gives an unrelated
         * secret rather than an error (implicit rejection), so that a tampered one cannot be told
         * apart until the secrets are used.
         */
        byte[] decapsulate(byte[] ciphertext);

        /** Erases the private key, as far as the implementation lets it be erased. */
        void destroy();
    }

    /** A secret and the ciphertext that carries it to the key's holder; the caller erases the secret. */
    record Encapsulation(byte[] secret, byte[] ciphertext) {
    }

    /**
     * Erases a key object where its implementation supports that. Failure is not an error: some
     * (the JDK's {@code SecretKeySpec}) cannot be erased, and then nothing more can be done.
     */
    static void destroy(Destroyable secret) {
        try {
            secret.destroy();
        } catch (DestroyFailedException e) {
            // Left to the garbage collector.
        }
    }
}
