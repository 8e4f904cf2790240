package dev.meshkit.crypto.pqc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.meshkit.api.spi.KeyMaterial;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

/**
 * The two ML-DSA engines against each other. The build runs this module's tests a second time on a
 * JDK with ML-DSA of its own (JDK 24+) when the machine has one, with
 * {@code meshkit.test.jdkPqc=required} so that run fails rather than skips if the JDK lacks it.
 */
class MlDsaEnginesTest {
    private static JdkMlDsa jdk() {
        JdkMlDsa jdk = JdkMlDsa.ifAvailable();
        if ("required".equals(System.getProperty("meshkit.test.jdkPqc"))) {
            assertNotNull(jdk, "this run is on a JDK with ML-DSA (" + Runtime.version() + ")");
        }
        assumeTrue(jdk != null, "this JDK has no ML-DSA of its own");
        return jdk;
    }

    @Test
    void eachEngineVerifiesTheOthersSignaturesAndRefusesAlteredOnes() {
        MlDsa65Scheme viaJdk = new MlDsa65Scheme(jdk());
        MlDsa65Scheme viaBc = new MlDsa65Scheme(new BouncyCastleMlDsa());
        SecureRandom random = new SecureRandom();
        for (int i = 0; i < 5; i++) {
            KeyMaterial keys = viaBc.generate(random);
            byte[] data = new byte[1 + random.nextInt(2000)];
            random.nextBytes(data);
            byte[] fromJdk = viaJdk.signer(keys).sign(data);
            byte[] fromBc = viaBc.signer(keys).sign(data);
            assertTrue(viaBc.verifier(keys.publicKey()).verify(data, fromJdk), "JDK signature under Bouncy Castle");
            assertTrue(viaJdk.verifier(keys.publicKey()).verify(data, fromBc), "Bouncy Castle signature under the JDK");
            assertTrue(viaJdk.verifier(keys.publicKey()).verify(data, fromJdk));
            fromJdk[i * 100] ^= 1;
            data[0] ^= 1;
            assertFalse(viaBc.verifier(keys.publicKey()).verify(data, fromBc));
            assertFalse(viaJdk.verifier(keys.publicKey()).verify(data, fromBc));
            data[0] ^= 1;
            assertFalse(viaBc.verifier(keys.publicKey()).verify(data, fromJdk));
            assertFalse(viaJdk.verifier(keys.publicKey()).verify(data, fromJdk));
        }
    }

    @Test
    void theJdkEngineIsChosenWhereverTheJdkHasOne() {
        JdkMlDsa available = JdkMlDsa.ifAvailable();
        String expected = available != null ? "jdk" : "bc";
        assertEquals(expected, MlDsaEngines.choose(null).name());
        assertEquals("bc", MlDsaEngines.choose("bc").name());
        assertThrows(IllegalStateException.class, () -> MlDsaEngines.choose("fast"));
        if (available == null) {
            assertThrows(IllegalStateException.class, () -> MlDsaEngines.choose("jdk"));
        }
        if (System.getProperty(MlDsaEngines.PROPERTY) == null) {
            assertEquals(expected, new MlDsa65Scheme().engine());
        }
    }
}
