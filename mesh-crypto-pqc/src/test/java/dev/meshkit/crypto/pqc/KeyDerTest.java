package dev.meshkit.crypto.pqc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.security.KeyPairGenerator;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

class KeyDerTest {
    private static final HexFormat HEX = HexFormat.of();

    /**
     * The heads spelt out: the public ones as JDK 25 writes them, the private ones in the PKCS#8 form
     * with the expanded key that JDK 25 reads.
     */
    @Test
    void theHeadsAreTheFixedDerBeforeEachKind() {
        assertEquals("308204b2300b0609608648016503040402038204a100", head(KeyDer.ML_KEM_768_PUBLIC, 1184));
        assertEquals("308207b2300b0609608648016503040312038207a100", head(KeyDer.ML_DSA_65_PUBLIC, 1952));
        assertEquals("30820fd8020100300b060960864801650304031204820fc404820fc0",
                head(KeyDer.ML_DSA_65_PRIVATE, 4032));
        assertEquals("30820978020100300b06096086480165030404020482096404820960",
                head(KeyDer.privateKey(KeyDer.ML_KEM_768_OID, 2400), 2400));
    }

    @Test
    void theJdkEncodesItsPublicKeysWithTheseHeads() throws Exception {
        Engines.jdkMlKem();
        Engines.jdkMlDsa();
        byte[] kem = KeyPairGenerator.getInstance("ML-KEM-768").generateKeyPair().getPublic().getEncoded();
        assertEquals(MlKemEngine.ENCAPSULATION_KEY_BYTES, KeyDer.ML_KEM_768_PUBLIC.unwrap(kem).length);
        byte[] dsa = KeyPairGenerator.getInstance("ML-DSA-65").generateKeyPair().getPublic().getEncoded();
        assertEquals(MlDsa65Scheme.PUBLIC_KEY_BYTES, KeyDer.ML_DSA_65_PUBLIC.unwrap(dsa).length);
    }

    @Test
    void unwrapGivesBackTheKeyAndRefusesAnyOtherDer() {
        byte[] key = new byte[MlKemEngine.ENCAPSULATION_KEY_BYTES];
        new Random(7).nextBytes(key);
        byte[] der = KeyDer.ML_KEM_768_PUBLIC.wrap(key);
        assertArrayEquals(key, KeyDer.ML_KEM_768_PUBLIC.unwrap(der));

        assertThrows(IllegalArgumentException.class, () -> KeyDer.ML_KEM_768_PUBLIC.wrap(new byte[1183]));
        assertThrows(IllegalArgumentException.class,
                () -> KeyDer.ML_KEM_768_PUBLIC.unwrap(Arrays.copyOf(der, der.length - 1)));
        assertThrows(IllegalArgumentException.class, () -> KeyDer.ML_DSA_65_PUBLIC.unwrap(der));
        byte[] otherKem = der.clone();
        otherKem[16] ^= 1; // the OID's last arc: ML-KEM-1024 rather than -768
        assertThrows(IllegalArgumentException.class, () -> KeyDer.ML_KEM_768_PUBLIC.unwrap(otherKem));
    }

    private static String head(KeyDer der, int rawBytes) {
        byte[] encoded = der.wrap(new byte[rawBytes]);
        return HEX.formatHex(encoded, 0, encoded.length - rawBytes);
    }
}
