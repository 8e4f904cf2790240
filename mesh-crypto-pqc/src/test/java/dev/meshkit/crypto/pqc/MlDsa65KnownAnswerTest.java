package dev.meshkit.crypto.pqc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.meshkit.api.spi.KeyMaterial;
import java.security.SecureRandom;
import java.util.HexFormat;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Key generation through MeshKit's API against NIST's published ML-DSA-65 key-generation vectors
 * (ACVP, {@code gen-val/json-files/ML-DSA-keyGen-FIPS204}, test group 2, FIPS 204 final). Each case
 * gives the 32-byte seed and, from the expected public key, its first 32 bytes (rho, expanded from
 * the seed) and its last 32 bytes (the end of the packed t1, which depends on every step of key
 * generation).
 */
class MlDsa65KnownAnswerTest {
    @ParameterizedTest(name = "ACVP keyGen tcId {0}")
    @CsvSource({
        "26, 8AB6448BF58F897D528A8DE9F8E59329AC929A9CDE7EDF3E27E01BC9EF128A67,"
                + " 49DE190622B0681761A9DB044015BF812760429001FDFF5FC897166546277E84,"
                + " 95B29744763675BBABEBDCE1B816769D66F9BC72DE319E1EC39E8F979E49B61C",
        "27, E67D4E94E36225F5E360DBE043099A96078174A054631BC673100D218A71C448,"
                + " A11E04721B8D823AEBFD8CD4663CC5E864BFB0C33DF9D350FC6B20E1DE4D857D,"
                + " 66E8D3B72DF61D0974D01362437191A36EA3C99F45A7DE1C2D179C53E365D1C5",
    })
    void theSeedGivesThePublishedPublicKey(int tcId, String seed, String first32, String last32) {
        byte[] xi = HexFormat.of().parseHex(seed);
        SecureRandom fixed = new SecureRandom() {
            private static final long serialVersionUID = 1L;

            @Override
            public void nextBytes(byte[] bytes) {
                System.arraycopy(xi, 0, bytes, 0, bytes.length);
            }
        };
        KeyMaterial keys = new MlDsa65Scheme().generate(fixed);
        String pk = HexFormat.of().withUpperCase().formatHex(keys.publicKey());
        assertEquals(MlDsa65Scheme.PUBLIC_KEY_BYTES * 2, pk.length());
        assertEquals(first32, pk.substring(0, 64), "rho");
        assertEquals(last32, pk.substring(pk.length() - 64), "end of t1");
    }
}
