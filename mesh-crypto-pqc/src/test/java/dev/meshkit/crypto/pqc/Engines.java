package dev.meshkit.crypto.pqc;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Arrays;
import java.util.List;
import org.bouncycastle.crypto.params.MLKEMParameters;
import org.bouncycastle.crypto.params.MLKEMPrivateKeyParameters;

/**
 * The engines the tests run against. The build runs this module's tests a second time on a JDK with
 * ML-DSA and ML-KEM of its own (JDK 24+) when the machine has one, with
 * {@code meshkit.test.jdkPqc=required}, so that run fails rather than skips if the JDK lacks them.
 */
final class Engines {
    private static final int EXPANDED_DECAPSULATION_KEY_BYTES = 2400;
    /** Where the encapsulation key sits in an expanded decapsulation key: after the K-PKE key. */
    private static final int ENCAPSULATION_KEY_OFFSET = 1152;

    private Engines() {
    }

    /** The JDK's ML-DSA engine; the test is skipped where there is none, or fails if one is required. */
    static JdkMlDsa jdkMlDsa() {
        return present(JdkMlDsa.ifAvailable(), "ML-DSA");
    }

    /** The JDK's ML-KEM engine; the test is skipped where there is none, or fails if one is required. */
    static JdkMlKem jdkMlKem() {
        return present(JdkMlKem.ifAvailable(), "ML-KEM");
    }

    /** Every ML-KEM engine in this JVM: Bouncy Castle's, and the JDK's where present or required. */
    static List<MlKemEngine> mlKemEngines() {
        JdkMlKem jdk = JdkMlKem.ifAvailable();
        requireIfAsked(jdk, "ML-KEM");
        return jdk == null ? List.of(new BouncyCastleMlKem()) : List.of(new BouncyCastleMlKem(), jdk);
    }

    /**
     * A key pair from FIPS 203's expanded decapsulation key, which the engine API has no call for:
     * only known-answer tests start from one.
     */
    static MlKemEngine.DecapsulationKey fromExpanded(MlKemEngine engine, byte[] dk) {
        if (engine instanceof BouncyCastleMlKem bc) {
            return bc.keys(new MLKEMPrivateKeyParameters(MLKEMParameters.ml_kem_768, dk));
        }
        // JDK 25's key factory reads only the expandedKey form of the PKCS#8 private key (the key
        // in an OCTET STRING); the seed form ([0]) and the SEQUENCE of both are refused.
        byte[] der = KeyDer.privateKey(KeyDer.ML_KEM_768_OID, EXPANDED_DECAPSULATION_KEY_BYTES).wrap(dk);
        PrivateKey key;
        try {
            key = KeyFactory.getInstance("ML-KEM-768").generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (GeneralSecurityException e) {
            throw new AssertionError("the JDK refuses an expanded ML-KEM-768 private key", e);
        }
        byte[] ek = Arrays.copyOfRange(dk, ENCAPSULATION_KEY_OFFSET,
                ENCAPSULATION_KEY_OFFSET + MlKemEngine.ENCAPSULATION_KEY_BYTES);
        return ((JdkMlKem) engine).keys(ek, key);
    }

    private static <E> E present(E jdk, String algorithm) {
        requireIfAsked(jdk, algorithm);
        assumeTrue(jdk != null, "this JDK has no " + algorithm + " of its own");
        return jdk;
    }

    private static void requireIfAsked(Object jdk, String algorithm) {
        if ("required".equals(System.getProperty("meshkit.test.jdkPqc"))) {
            assertNotNull(jdk, "this run is on a JDK with " + algorithm + " (" + Runtime.version() + ")");
        }
    }
}
