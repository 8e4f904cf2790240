package dev.meshkit.crypto.pqc;

import java.security.SecureRandom;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.SecretWithEncapsulation;
import org.bouncycastle.crypto.generators.MLKEMKeyPairGenerator;
import org.bouncycastle.crypto.kems.MLKEMExtractor;
import org.bouncycastle.crypto.kems.MLKEMGenerator;
import org.bouncycastle.crypto.params.MLKEMKeyGenerationParameters;
import org.bouncycastle.crypto.params.MLKEMParameters;
import org.bouncycastle.crypto.params.MLKEMPrivateKeyParameters;
import org.bouncycastle.crypto.params.MLKEMPublicKeyParameters;

/** ML-KEM-768 on Bouncy Castle's lightweight API: available on every JDK. */
final class BouncyCastleMlKem implements MlKemEngine {
    private static final MLKEMParameters PARAMETERS = MLKEMParameters.ml_kem_768;

    @Override
    public String name() {
        return "bc";
    }

    @Override
    public DecapsulationKey generate(SecureRandom random) {
        MLKEMKeyPairGenerator g = new MLKEMKeyPairGenerator();
        g.init(new MLKEMKeyGenerationParameters(random, PARAMETERS));
        AsymmetricCipherKeyPair pair = g.generateKeyPair();
        return keys((MLKEMPrivateKeyParameters) pair.getPrivate());
    }

    /** A key pair around a private key Bouncy Castle has already decoded or generated. */
    DecapsulationKey keys(MLKEMPrivateKeyParameters key) {
        return new Keys(key);
    }

    @Override
    public Encapsulation encapsulate(byte[] encapsulationKey, SecureRandom random) {
        SecretWithEncapsulation kem;
        try {
            // Bouncy Castle runs FIPS 203's modulus check here and throws on an unreduced key.
            kem = new MLKEMGenerator(random).generateEncapsulated(
                    new MLKEMPublicKeyParameters(PARAMETERS, encapsulationKey.clone()));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not a usable ML-KEM-768 encapsulation key: " + e.getMessage(), e);
        }
        try {
            return new Encapsulation(kem.getSecret(), kem.getEncapsulation());
        } finally {
            MlKemEngine.destroy(kem);
        }
    }

    /** The private key is only read, so decapsulation needs no lock. */
    private static final class Keys implements DecapsulationKey {
        private final MLKEMPrivateKeyParameters key;

        Keys(MLKEMPrivateKeyParameters key) {
            this.key = key;
        }

        @Override
        public byte[] encapsulationKey() {
            return key.getPublicKey();
        }

        @Override
        public byte[] decapsulate(byte[] ciphertext) {
            return new MLKEMExtractor(key).extractSecret(ciphertext);
        }

        @Override
        public void destroy() {
            key.destroy();
        }
    }
}
