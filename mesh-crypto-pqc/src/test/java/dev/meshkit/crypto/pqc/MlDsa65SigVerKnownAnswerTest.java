package dev.meshkit.crypto.pqc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Map;
import org.bouncycastle.crypto.params.MLDSAParameters;
import org.bouncycastle.crypto.params.MLDSAPublicKeyParameters;
import org.bouncycastle.crypto.params.ParametersWithContext;
import org.bouncycastle.crypto.signers.MLDSASigner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * ML-DSA-65 signature verification against NIST's published ACVP vectors for FIPS 204 final, from
 * github.com/usnistgov/ACVP-Server at commit 203f667c26e10a1be89dfe8da7a54498fde2d848,
 * {@code gen-val/json-files/ML-DSA-sigVer-FIPS204}: test group 3 (ML-DSA-65, external interface,
 * pure), tcId 33 (testPassed true) and tcIds 32 and 35 (testPassed false). Inputs come from
 * {@code prompt.json}, the verdicts from {@code expectedResults.json}; the values are in the
 * resource {@code acvp/ml-dsa-65-sigver.txt}.
 *
 * <p>Every one of these cases signs under a non-empty context, which {@link MlDsa65Scheme} never
 * uses (it signs in pure mode with the empty context). So the verdicts are checked on the same
 * Bouncy Castle verifier and key decoding the scheme uses, given the case's context; through the
 * scheme itself, the valid signature must then be refused, since it was made under another context.
 */
class MlDsa65SigVerKnownAnswerTest {
    private static final AcvpVectors VECTORS = AcvpVectors.load("/acvp/ml-dsa-65-sigver.txt");

    @ParameterizedTest(name = "ACVP sigVer tcId {0}")
    @ValueSource(ints = {33, 32, 35})
    void theVerdictIsThePublishedOne(int tcId) {
        Map<String, String> tc = VECTORS.testCase(tcId);
        MLDSAPublicKeyParameters pk =
                new MLDSAPublicKeyParameters(MLDSAParameters.ml_dsa_65, AcvpVectors.hex(tc.get("pk")));
        byte[] message = AcvpVectors.hex(tc.get("message"));

        MLDSASigner verifier = new MLDSASigner();
        verifier.init(false, new ParametersWithContext(pk, AcvpVectors.hex(tc.get("context"))));
        verifier.update(message, 0, message.length);

        boolean verified = verifier.verifySignature(AcvpVectors.hex(tc.get("signature")));

        assertEquals(Boolean.parseBoolean(tc.get("testPassed")), verified, "testPassed");
    }

    @Test
    void theSchemeRefusesASignatureMadeUnderAnotherContext() {
        Map<String, String> tc = VECTORS.testCase(33);
        assertEquals("true", tc.get("testPassed"), "tcId 33 is NIST's valid case");

        boolean accepted = new MlDsa65Scheme().verifier(AcvpVectors.hex(tc.get("pk")))
                .verify(AcvpVectors.hex(tc.get("message")), AcvpVectors.hex(tc.get("signature")));

        assertFalse(accepted, "the scheme verifies under the empty context only");
    }
}
