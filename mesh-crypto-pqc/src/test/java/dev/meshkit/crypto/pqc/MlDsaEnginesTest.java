package dev.meshkit.crypto.pqc;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshkit.api.spi.KeyMaterial;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

/** The two ML-DSA engines against each other (see {@link Engines} for when the JDK's is required). */
class MlDsaEnginesTest {
    @Test
    void eachEngineVerifiesTheOthersSignaturesAndRefusesAlteredOnes() {
        MlDsa65Scheme viaJdk = new MlDsa65Scheme(Engines.jdkMlDsa());
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
}
