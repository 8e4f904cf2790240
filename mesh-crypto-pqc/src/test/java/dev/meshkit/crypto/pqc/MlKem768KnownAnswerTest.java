package dev.meshkit.crypto.pqc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import org.bouncycastle.crypto.SecretWithEncapsulation;
import org.bouncycastle.crypto.kems.MLKEMExtractor;
import org.bouncycastle.crypto.kems.MLKEMGenerator;
import org.bouncycastle.crypto.params.MLKEMParameters;
import org.bouncycastle.crypto.params.MLKEMPrivateKeyParameters;
import org.bouncycastle.crypto.params.MLKEMPublicKeyParameters;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The ML-KEM-768 that the hybrid key exchange runs on (Bouncy Castle's lightweight API) against
 * NIST's published ACVP vectors for FIPS 203 final, from github.com/usnistgov/ACVP-Server at commit
 * 203f667c26e10a1be89dfe8da7a54498fde2d848, {@code gen-val/json-files/}:
 *
 * <ul>
 *   <li>key generation: {@code ML-KEM-keyGen-FIPS203}, test group 2, tcIds 26 and 28;
 *   <li>encapsulation: {@code ML-KEM-encapDecap-FIPS203}, test group 2, tcIds 26 and 27
 *       (resource {@code acvp/ml-kem-768-encapsulation.txt});
 *   <li>decapsulation: {@code ML-KEM-encapDecap-FIPS203}, test group 5, tcIds 86 and 87 (valid
 *       ciphertexts) and 90 and 91 (ciphertexts that are not valid encapsulations, so the key is the
 *       implicit-rejection value), resource {@code acvp/ml-kem-768-decapsulation.txt}.
 * </ul>
 *
 * <p>Inputs come from each set's {@code prompt.json}, expected values from its
 * {@code expectedResults.json}. The keys are long, so key generation compares SHA-256 digests
 * of NIST's expected ek and dk rather than the keys themselves.
 */
class MlKem768KnownAnswerTest {
    private static final MLKEMParameters ML_KEM_768 = MLKEMParameters.ml_kem_768;
    private static final HexFormat HEX = HexFormat.of();
    private static final AcvpVectors ENCAPSULATION = AcvpVectors.load("/acvp/ml-kem-768-encapsulation.txt");
    private static final AcvpVectors DECAPSULATION = AcvpVectors.load("/acvp/ml-kem-768-decapsulation.txt");

    @ParameterizedTest(name = "ACVP keyGen tcId {0}")
    @CsvSource({
        "26, 97C4789340DF47850A84889820B9B4307DF3E43A7DE3F5857340C791934F1E99,"
                + " D7F7FE2AA083A10A9C267D3163D0FB888C9D2D7614482095EF1817E1E9E4AC88,"
                + " 859a2e76580ee3ccfba621bc5a823be51addd62ea702695a9c7a0d8368de0560,"
                + " a449e2699cd9b783bb3d9d08033bb79192cb7bb2432e7ed0172ecedc5d1d7f38",
        "28, 7E09B756B87B9805E0034BF69DE4EA0555C3B435EE338266CFDB1B0D1FD503E4,"
                + " C08AC5F53BAD87BE2D6175370063B23BAB442F9EE170E443FFF3033F3AC56655,"
                + " 4d75b571be1cbe27993def75acc7738e518e09aea86939fe2afbb320d346fcc0,"
                + " cb86661fe0a117afaaa3e2ab391c1fd7f262c1977055affdebc936b99456b74c",
    })
    void theSeedGivesThePublishedKeys(int tcId, String d, String z, String ekSha256, String dkSha256) {
        // Bouncy Castle's 64-byte seed form is d || z, the two inputs of ML-KEM.KeyGen_internal.
        byte[] seed = HEX.parseHex(d + z);
        MLKEMPrivateKeyParameters key = new MLKEMPrivateKeyParameters(ML_KEM_768, seed);

        byte[] ek = key.getPublicKeyParameters().getEncoded();
        byte[] dk = key.withPreferredFormat(MLKEMPrivateKeyParameters.EXPANDED_KEY).getEncoded();
        assertEquals(1184, ek.length, "ek bytes");
        assertEquals(2400, dk.length, "dk bytes");
        assertEquals(ekSha256, sha256(ek), "SHA-256 of ek");
        assertEquals(dkSha256, sha256(dk), "SHA-256 of dk");
    }

    @ParameterizedTest(name = "ACVP encapsulation tcId {0}")
    @ValueSource(ints = {26, 27})
    void theRandomnessGivesThePublishedCiphertextAndKey(int tcId) {
        Map<String, String> tc = ENCAPSULATION.testCase(tcId);
        MLKEMPublicKeyParameters ek = new MLKEMPublicKeyParameters(ML_KEM_768, AcvpVectors.hex(tc.get("ek")));

        // Fixed m instead of fresh randomness: ML-KEM.Encaps_internal.
        SecretWithEncapsulation result = MLKEMGenerator.internalGenerateEncapsulated(ek, AcvpVectors.hex(tc.get("m")));

        assertEquals(tc.get("c"), HEX.withUpperCase().formatHex(result.getEncapsulation()), "c");
        assertEquals(tc.get("k"), HEX.withUpperCase().formatHex(result.getSecret()), "k");
    }

    @ParameterizedTest(name = "ACVP decapsulation tcId {0}")
    @ValueSource(ints = {86, 87})
    void aValidCiphertextGivesThePublishedKey(int tcId) {
        assertDecapsulatesToThePublishedKey(tcId);
    }

    /** NIST's expected key for these is J(z || c): a receiver must not reveal that c was tampered with. */
    @ParameterizedTest(name = "ACVP decapsulation tcId {0}, implicit rejection")
    @ValueSource(ints = {90, 91})
    void aModifiedCiphertextGivesThePublishedRejectionKey(int tcId) {
        assertDecapsulatesToThePublishedKey(tcId);
    }

    private static void assertDecapsulatesToThePublishedKey(int tcId) {
        Map<String, String> tc = DECAPSULATION.testCase(tcId);
        // The group's dk is the expanded FIPS 203 encoding, which Bouncy Castle takes as it is.
        MLKEMPrivateKeyParameters dk = new MLKEMPrivateKeyParameters(ML_KEM_768, DECAPSULATION.shared("dk"));

        byte[] k = new MLKEMExtractor(dk).extractSecret(AcvpVectors.hex(tc.get("c")));

        assertEquals(tc.get("k"), HEX.withUpperCase().formatHex(k), "k");
    }

    private static String sha256(byte[] data) {
        try {
            return HEX.formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
