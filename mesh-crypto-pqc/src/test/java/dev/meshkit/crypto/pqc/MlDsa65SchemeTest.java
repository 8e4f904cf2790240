package dev.meshkit.crypto.pqc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshkit.api.NodeId;
import dev.meshkit.api.spi.KeyMaterial;
import dev.meshkit.api.spi.Signer;
import dev.meshkit.api.spi.Verifier;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class MlDsa65SchemeTest {
    private final MlDsa65Scheme scheme = new MlDsa65Scheme();
    private final SecureRandom random = new SecureRandom();
    private final byte[] data = "the canonical bytes of an envelope".getBytes(StandardCharsets.UTF_8);

    @Test
    void keysAndSignaturesHaveTheFips204Sizes() {
        KeyMaterial keys = scheme.generate(random);
        assertEquals("ml-dsa-65", keys.scheme());
        assertEquals(1952, keys.publicKey().length);
        assertEquals(32, keys.privateKey().length);
        assertEquals(3309, scheme.signer(keys).sign(data).length);
    }

    @Test
    void theNodeIdIsTheSha256OfTheWholePublicKey() throws Exception {
        KeyMaterial keys = scheme.generate(random);
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(keys.publicKey());
        assertEquals(NodeId.fromBytes(digest), keys.nodeId());
        assertEquals(64, keys.nodeId().hex().length(), "all 256 bits");
    }

    @Test
    void aSignatureVerifiesAndNothingElseDoes() {
        KeyMaterial keys = scheme.generate(random);
        Signer signer = scheme.signer(keys);
        Verifier verifier = scheme.verifier(keys.publicKey());
        byte[] signature = signer.sign(data);
        assertTrue(verifier.verify(data, signature));

        byte[] otherData = data.clone();
        otherData[3] ^= 1;
        assertFalse(verifier.verify(otherData, signature), "changed data");
        byte[] otherSignature = signature.clone();
        otherSignature[100] ^= 1;
        assertFalse(verifier.verify(data, otherSignature), "changed signature");
        assertFalse(scheme.verifier(scheme.generate(random).publicKey()).verify(data, signature), "another key");
        assertFalse(verifier.verify(data, Arrays.copyOf(signature, 3308)), "short signature");
        assertFalse(verifier.verify(data, new byte[3309]), "zeros");
        assertFalse(verifier.verify(null, signature));
        assertFalse(verifier.verify(data, null));
    }

    @Test
    void signaturesAreHedgedYetAllVerify() {
        KeyMaterial keys = scheme.generate(random);
        Signer signer = scheme.signer(keys);
        byte[] a = signer.sign(data);
        byte[] b = signer.sign(data);
        assertFalse(Arrays.equals(a, b), "fresh randomness in every signature");
        Verifier verifier = scheme.verifier(keys.publicKey());
        assertTrue(verifier.verify(data, a) && verifier.verify(data, b));
    }

    @Test
    void theSeedDeterminesTheKeyPair() {
        KeyMaterial keys = scheme.generate(random);
        KeyMaterial again = scheme.generate(new SecureRandom() {
            @Override
            public void nextBytes(byte[] bytes) {
                System.arraycopy(keys.privateKey(), 0, bytes, 0, bytes.length);
            }
        });
        assertArrayEquals(keys.publicKey(), again.publicKey());
        assertEquals(keys.nodeId(), again.nodeId());
    }

    @Test
    void malformedAndMismatchedKeysAreRefused() {
        KeyMaterial keys = scheme.generate(random);
        KeyMaterial other = scheme.generate(random);
        assertThrows(IllegalArgumentException.class, () -> scheme.verifier(new byte[32]));
        assertThrows(IllegalArgumentException.class, () -> scheme.verifier(null));
        assertThrows(IllegalArgumentException.class,
                () -> scheme.signer(new KeyMaterial("ml-dsa-65", other.publicKey(), keys.privateKey())),
                "a public key that the seed does not derive");
        assertThrows(IllegalArgumentException.class,
                () -> scheme.signer(new KeyMaterial("ed25519", keys.publicKey(), keys.privateKey())));
        assertThrows(IllegalArgumentException.class,
                () -> scheme.signer(new KeyMaterial("ml-dsa-65", keys.publicKey(), new byte[31])));
    }

    @Test
    void signerAndVerifierNeverPrintTheSeed() {
        KeyMaterial keys = scheme.generate(random);
        String text = scheme.signer(keys).toString() + scheme.verifier(keys.publicKey());
        assertTrue(text.contains(keys.nodeId().shortForm()), text);
        assertFalse(text.contains(java.util.HexFormat.of().formatHex(keys.privateKey()).substring(0, 16)), text);
    }
}
