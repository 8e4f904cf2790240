package dev.meshkit.crypto.pqc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.bouncycastle.crypto.SecretWithEncapsulation;
import org.bouncycastle.crypto.digests.SHAKEDigest;
import org.bouncycastle.crypto.kems.MLKEMGenerator;
import org.bouncycastle.crypto.params.MLKEMParameters;
import org.bouncycastle.crypto.params.MLKEMPrivateKeyParameters;
import org.bouncycastle.crypto.params.MLKEMPublicKeyParameters;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every ML-KEM-768 engine in this JVM (Bouncy Castle's, and the JDK's where present; see
 * {@link Engines}) against NIST's published ACVP vectors for FIPS 203 final, from
 * github.com/usnistgov/ACVP-Server at commit 203f667c26e10a1be89dfe8da7a54498fde2d848,
 * {@code gen-val/json-files/}:
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
 *
 * <p>Neither engine takes a seed or a fixed m, but both draw FIPS 203's randomness from the
 * {@code SecureRandom} they are given, in the standard's order (d, then z; m), so a random that
 * hands out the vector's values runs the deterministic algorithms. The expanded dk that key
 * generation produces stays inside an engine: for Bouncy Castle it is compared with NIST's digest
 * directly, and for every engine the generated key is checked by what it does, which depends on each
 * part of dk (the K-PKE key and H(ek) for a valid ciphertext, z for a rejected one).
 */
class MlKem768KnownAnswerTest {
    private static final MLKEMParameters ML_KEM_768 = MLKEMParameters.ml_kem_768;
    private static final HexFormat HEX = HexFormat.of();
    private static final AcvpVectors ENCAPSULATION = AcvpVectors.load("/acvp/ml-kem-768-encapsulation.txt");
    private static final AcvpVectors DECAPSULATION = AcvpVectors.load("/acvp/ml-kem-768-decapsulation.txt");

    /** A key-generation case: the seeds d and z, and the digests of the keys NIST expects. */
    private record KeyGen(int tcId, String d, String z, String ekSha256, String dkSha256) {
        @Override
        public String toString() {
            return "tcId " + tcId;
        }
    }

    private static final List<KeyGen> KEY_GENERATION = List.of(
            new KeyGen(26, "97C4789340DF47850A84889820B9B4307DF3E43A7DE3F5857340C791934F1E99",
                    "D7F7FE2AA083A10A9C267D3163D0FB888C9D2D7614482095EF1817E1E9E4AC88",
                    "859a2e76580ee3ccfba621bc5a823be51addd62ea702695a9c7a0d8368de0560",
                    "a449e2699cd9b783bb3d9d08033bb79192cb7bb2432e7ed0172ecedc5d1d7f38"),
            new KeyGen(28, "7E09B756B87B9805E0034BF69DE4EA0555C3B435EE338266CFDB1B0D1FD503E4",
                    "C08AC5F53BAD87BE2D6175370063B23BAB442F9EE170E443FFF3033F3AC56655",
                    "4d75b571be1cbe27993def75acc7738e518e09aea86939fe2afbb320d346fcc0",
                    "cb86661fe0a117afaaa3e2ab391c1fd7f262c1977055affdebc936b99456b74c"));

    static Stream<KeyGen> keyGenerationVectors() {
        return KEY_GENERATION.stream();
    }

    static Stream<Arguments> keyGeneration() {
        return Engines.mlKemEngines().stream()
                .flatMap(engine -> KEY_GENERATION.stream().map(v -> Arguments.of(named(engine), v)));
    }

    static Stream<Arguments> encapsulation() {
        return cases(26, 27);
    }

    static Stream<Arguments> decapsulation() {
        return cases(86, 87);
    }

    static Stream<Arguments> rejection() {
        return cases(90, 91);
    }

    @ParameterizedTest(name = "{0}: ACVP keyGen {1}")
    @MethodSource("keyGeneration")
    void theSeedGivesThePublishedEncapsulationKeyAndAWorkingDecapsulationKey(MlKemEngine engine, KeyGen v) {
        Scripted random = new Scripted(HEX.parseHex(v.d()), HEX.parseHex(v.z()));
        MlKemEngine.DecapsulationKey keys = engine.generate(random);
        random.assertSpent();

        byte[] ek = keys.encapsulationKey();
        assertEquals(MlKemEngine.ENCAPSULATION_KEY_BYTES, ek.length, "ek bytes");
        assertEquals(v.ekSha256(), sha256(ek), "SHA-256 of ek");

        SecretWithEncapsulation sent = MLKEMGenerator.internalGenerateEncapsulated(
                new MLKEMPublicKeyParameters(ML_KEM_768, ek), new byte[32]);
        assertArrayEquals(sent.getSecret(), keys.decapsulate(sent.getEncapsulation()), "K of a valid ciphertext");
        byte[] tampered = sent.getEncapsulation();
        tampered[0] ^= 1;
        assertEquals(HEX.formatHex(rejectionKey(HEX.parseHex(v.z()), tampered)),
                HEX.formatHex(keys.decapsulate(tampered)), "J(z || c) for a tampered ciphertext");
    }

    /** Bouncy Castle's expanded key against NIST's digest: no engine hands out its private key. */
    @ParameterizedTest(name = "ACVP keyGen {0}")
    @MethodSource("keyGenerationVectors")
    void bouncyCastleExpandsTheSeedToThePublishedDecapsulationKey(KeyGen v) {
        // Bouncy Castle's 64-byte seed form is d || z, the two inputs of ML-KEM.KeyGen_internal.
        MLKEMPrivateKeyParameters key = new MLKEMPrivateKeyParameters(ML_KEM_768, HEX.parseHex(v.d() + v.z()));
        byte[] dk = key.withPreferredFormat(MLKEMPrivateKeyParameters.EXPANDED_KEY).getEncoded();
        assertEquals(2400, dk.length, "dk bytes");
        assertEquals(v.dkSha256(), sha256(dk), "SHA-256 of dk");
    }

    @ParameterizedTest(name = "{0}: ACVP encapsulation tcId {1}")
    @MethodSource("encapsulation")
    void theRandomnessGivesThePublishedCiphertextAndKey(MlKemEngine engine, int tcId) {
        Map<String, String> tc = ENCAPSULATION.testCase(tcId);
        Scripted random = new Scripted(AcvpVectors.hex(tc.get("m")));

        MlKemEngine.Encapsulation result = engine.encapsulate(AcvpVectors.hex(tc.get("ek")), random);

        random.assertSpent();
        assertEquals(tc.get("c"), HEX.withUpperCase().formatHex(result.ciphertext()), "c");
        assertEquals(tc.get("k"), HEX.withUpperCase().formatHex(result.secret()), "k");
    }

    @ParameterizedTest(name = "{0}: ACVP decapsulation tcId {1}")
    @MethodSource("decapsulation")
    void aValidCiphertextGivesThePublishedKey(MlKemEngine engine, int tcId) {
        assertDecapsulatesToThePublishedKey(engine, tcId);
    }

    /** NIST's expected key for these is J(z || c): a receiver must not reveal that c was tampered with. */
    @ParameterizedTest(name = "{0}: ACVP decapsulation tcId {1}, implicit rejection")
    @MethodSource("rejection")
    void aModifiedCiphertextGivesThePublishedRejectionKey(MlKemEngine engine, int tcId) {
        assertDecapsulatesToThePublishedKey(engine, tcId);
    }

    private static void assertDecapsulatesToThePublishedKey(MlKemEngine engine, int tcId) {
        Map<String, String> tc = DECAPSULATION.testCase(tcId);
        // The group's dk is the expanded FIPS 203 encoding.
        MlKemEngine.DecapsulationKey dk = Engines.fromExpanded(engine, DECAPSULATION.shared("dk"));

        byte[] k = dk.decapsulate(AcvpVectors.hex(tc.get("c")));

        assertEquals(tc.get("k"), HEX.withUpperCase().formatHex(k), "k");
    }

    private static Stream<Arguments> cases(int... tcIds) {
        return Engines.mlKemEngines().stream()
                .flatMap(engine -> Arrays.stream(tcIds).mapToObj(id -> Arguments.of(named(engine), id)));
    }

    private static Named<MlKemEngine> named(MlKemEngine engine) {
        return Named.of(engine.name(), engine);
    }

    /** ML-KEM's implicit-rejection key (FIPS 203, Algorithm 18): SHAKE256(z || c), 32 bytes. */
    private static byte[] rejectionKey(byte[] z, byte[] c) {
        SHAKEDigest shake = new SHAKEDigest(256);
        shake.update(z, 0, z.length);
        shake.update(c, 0, c.length);
        byte[] out = new byte[32];
        shake.doFinal(out, 0, out.length);
        return out;
    }

    private static String sha256(byte[] data) {
        try {
            return HEX.formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    /** Hands out a vector's values, one per draw, in order: the randomness a known answer fixes. */
    private static final class Scripted extends SecureRandom {
        private static final long serialVersionUID = 1L;
        private final Deque<byte[]> draws = new ArrayDeque<>();

        Scripted(byte[]... values) {
            draws.addAll(List.of(values));
        }

        @Override
        public void nextBytes(byte[] bytes) {
            byte[] next = draws.poll();
            assertNotNull(next, "more randomness drawn than the vector gives");
            assertEquals(next.length, bytes.length, "a draw of another size than the vector's");
            System.arraycopy(next, 0, bytes, 0, bytes.length);
        }

        void assertSpent() {
            assertTrue(draws.isEmpty(), "the vector's randomness was not all drawn");
        }
    }
}
