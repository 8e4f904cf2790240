package dev.meshkit.core.identity;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshkit.api.NodeId;
import dev.meshkit.api.spi.IdentityScheme;
import dev.meshkit.api.spi.KeyMaterial;
import dev.meshkit.api.spi.Signer;
import dev.meshkit.api.spi.Verifier;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class Ed25519SchemeTest {
    private static final HexFormat HEX = HexFormat.of();
    private final Ed25519Scheme scheme = new Ed25519Scheme();

    /** RFC 8032 section 7.1: secret key (seed), public key, message, signature. */
    static Stream<Arguments> rfc8032() {
        return Stream.of(
                Arguments.of("TEST 1",
                        "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
                        "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a",
                        "",
                        "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e06522490155"
                                + "5fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"),
                Arguments.of("TEST 2",
                        "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
                        "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c",
                        "72",
                        "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da"
                                + "085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00"),
                Arguments.of("TEST 3",
                        "c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7",
                        "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025",
                        "af82",
                        "6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac"
                                + "18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a"),
                Arguments.of("TEST SHA(abc)",
                        "833fe62409237b9d62ec77587520911e9a759cec1d19755b7da901b96dca3d42",
                        "ec172b93ad5e563bf4932c70e1245034c35467ef2efd4d64ebf819683467e2bf",
                        "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
                                + "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f",
                        "dc2a4459e7369633a52b1bf277839a00201009a3efbf3ecb69bea2186c26b589"
                                + "09351fc9ac90b3ecfdfbc7c66431e0303dca179c138ac17ad9bef1177331a704"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rfc8032")
    void rfc8032TestVectors(String name, String secret, String publicKey, String message, String signature) {
        byte[] sk = HEX.parseHex(secret);
        byte[] pk = HEX.parseHex(publicKey);
        byte[] msg = HEX.parseHex(message);
        byte[] sig = HEX.parseHex(signature);

        KeyMaterial generated = scheme.generate(fixedRandom(sk));
        assertArrayEquals(pk, generated.publicKey(), "public key derived from the seed");
        assertArrayEquals(sk, generated.privateKey());

        assertArrayEquals(sig, scheme.signer(new KeyMaterial("ed25519", pk, sk)).sign(msg), "signature");
        assertTrue(scheme.verifier(pk).verify(msg, sig));
    }

    @Test
    void nodeIdOfTheRfcKeyIsPinned() {
        byte[] pk = HEX.parseHex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
        // SHA-256 of the raw 32-byte key; changes if the public key encoding ever changes.
        assertEquals(new NodeId("21fe31dfa154a261626bf854046fd2271b7bed4b6abe45aa58877ef47f9721b9"),
                NodeId.ofPublicKey(pk));
        KeyMaterial keys = scheme.generate(fixedRandom(
                HEX.parseHex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60")));
        assertEquals(NodeId.ofPublicKey(pk), keys.nodeId());
        assertEquals(keys.nodeId(), keys.nodeId());
    }

    @Test
    void generatedKeysSignAndVerify() {
        KeyMaterial keys = scheme.generate(new SecureRandom());
        assertEquals("ed25519", keys.scheme());
        assertEquals(32, keys.publicKey().length);
        assertEquals(32, keys.privateKey().length);
        byte[] data = "hello mesh".getBytes(UTF_8);
        byte[] sig = scheme.signer(keys).sign(data);
        assertEquals(64, sig.length);
        assertTrue(scheme.verifier(keys.publicKey()).verify(data, sig));
        // Ed25519 is deterministic: same key and data, same signature.
        assertArrayEquals(sig, scheme.signer(keys).sign(data));
        assertNotEquals(keys.nodeId(), scheme.generate(new SecureRandom()).nodeId());
    }

    @Test
    void tamperingIsDetected() {
        KeyMaterial keys = scheme.generate(new SecureRandom());
        byte[] data = "pay alice 10".getBytes(UTF_8);
        byte[] sig = scheme.signer(keys).sign(data);
        Verifier v = scheme.verifier(keys.publicKey());

        byte[] otherData = "pay alice 99".getBytes(UTF_8);
        assertFalse(v.verify(otherData, sig));
        assertFalse(v.verify(new byte[0], sig));
        for (int i = 0; i < sig.length; i++) {
            byte[] bad = sig.clone();
            bad[i] ^= 0x01;
            assertFalse(v.verify(data, bad), "flipped bit in signature byte " + i);
        }
        KeyMaterial other = scheme.generate(new SecureRandom());
        assertFalse(scheme.verifier(other.publicKey()).verify(data, sig));
    }

    @Test
    void malformedSignaturesAreFalseNotExceptions() {
        KeyMaterial keys = scheme.generate(new SecureRandom());
        Verifier v = scheme.verifier(keys.publicKey());
        byte[] data = {1, 2, 3};
        byte[] sig = scheme.signer(keys).sign(data);
        assertFalse(v.verify(data, new byte[0]));
        assertFalse(v.verify(data, java.util.Arrays.copyOf(sig, 63)));
        assertFalse(v.verify(data, java.util.Arrays.copyOf(sig, 65)));
        assertFalse(v.verify(data, new byte[64]));
        assertFalse(v.verify(data, null));
        assertFalse(v.verify(null, sig));
        byte[] ones = new byte[64];
        java.util.Arrays.fill(ones, (byte) 0xff);
        assertFalse(v.verify(data, ones));
    }

    @Test
    void malleatedSignatureIsRejected() {
        // S + L encodes the same scalar mod L; RFC 8032 requires rejecting S >= L so that a signature
        // cannot be re-encoded into a second valid one (which would give the same message two ids).
        KeyMaterial keys = scheme.generate(new SecureRandom());
        byte[] data = "once only".getBytes(UTF_8);
        byte[] sig = scheme.signer(keys).sign(data);
        BigInteger order = BigInteger.TWO.pow(252).add(new BigInteger("27742317777372353535851937790883648493"));
        BigInteger s = new BigInteger(1, reverse(java.util.Arrays.copyOfRange(sig, 32, 64)));
        byte[] sPlusL = reverse(leftPad(s.add(order).toByteArray(), 32));
        byte[] malleated = sig.clone();
        System.arraycopy(sPlusL, 0, malleated, 32, 32);
        assertFalse(scheme.verifier(keys.publicKey()).verify(data, malleated));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        // identity (small order 1)
        "0100000000000000000000000000000000000000000000000000000000000000",
        // y = -1 (order 2)
        "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
        // y = 0 (order 4)
        "0000000000000000000000000000000000000000000000000000000000000000",
        // y = p + 1: not a canonical encoding
        "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
        // y = 2 is not on the curve
        "0200000000000000000000000000000000000000000000000000000000000000",
    })
    void weakOrInvalidPublicKeysAreRefused(String hex) {
        assertThrows(IllegalArgumentException.class, () -> scheme.verifier(HEX.parseHex(hex)));
    }

    @Test
    void mixedOrderPublicKeyIsRefused() {
        // A + T for a real key A and the order-2 point T = (0, -1) is (-x, -y): on the curve, so partial
        // validation would accept it, but outside the prime-order subgroup. Its encoding is p - y with
        // the sign of x flipped.
        byte[] pk = scheme.generate(new SecureRandom()).publicKey();
        BigInteger p = BigInteger.TWO.pow(255).subtract(BigInteger.valueOf(19));
        byte[] le = pk.clone();
        boolean xSign = (le[31] & 0x80) != 0;
        le[31] &= 0x7f;
        BigInteger y = new BigInteger(1, reverse(le));
        byte[] mixed = reverse(leftPad(p.subtract(y).toByteArray(), 32));
        if (!xSign) {
            mixed[31] |= (byte) 0x80;
        }
        assertThrows(IllegalArgumentException.class, () -> scheme.verifier(mixed));
        // The same arithmetic without the torsion step gives the key back, so the test is not vacuous.
        assertArrayEquals(pk, reencode(y, xSign));
        scheme.verifier(pk);
    }

    private static byte[] reencode(BigInteger y, boolean xSign) {
        byte[] out = reverse(leftPad(y.toByteArray(), 32));
        if (xSign) {
            out[31] |= (byte) 0x80;
        }
        return out;
    }

    @Test
    void publicKeysOfTheWrongLengthAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> scheme.verifier(null));
        assertThrows(IllegalArgumentException.class, () -> scheme.verifier(new byte[31]));
        assertThrows(IllegalArgumentException.class, () -> scheme.verifier(new byte[33]));
    }

    @Test
    void signerRefusesKeysItCannotUse() {
        KeyMaterial keys = scheme.generate(new SecureRandom());
        KeyMaterial other = scheme.generate(new SecureRandom());
        assertThrows(IllegalArgumentException.class,
                () -> scheme.signer(new KeyMaterial("ml-dsa-65", keys.publicKey(), keys.privateKey())));
        assertThrows(IllegalArgumentException.class,
                () -> scheme.signer(new KeyMaterial("ed25519", keys.publicKey(), new byte[31])));
        assertThrows(IllegalArgumentException.class,
                () -> scheme.signer(new KeyMaterial("ed25519", keys.publicKey(), null)));
        assertThrows(IllegalArgumentException.class,
                () -> scheme.signer(new KeyMaterial("ed25519", other.publicKey(), keys.privateKey())));
        assertThrows(IllegalArgumentException.class,
                () -> scheme.signer(new KeyMaterial("ed25519", null, keys.privateKey())));
    }

    @Test
    void signerKeepsItsOwnCopyOfTheSeed() {
        KeyMaterial keys = scheme.generate(new SecureRandom());
        Signer signer = scheme.signer(keys);
        byte[] data = {42};
        byte[] before = signer.sign(data);
        String seedHex = HEX.formatHex(keys.privateKey());
        java.util.Arrays.fill(keys.privateKey(), (byte) 0);
        assertArrayEquals(before, signer.sign(data));
        assertFalse(signer.toString().contains(seedHex.substring(0, 8)));
    }

    @Test
    void oneSignerAndVerifierServeManyThreads() throws Exception {
        KeyMaterial keys = scheme.generate(new SecureRandom());
        Signer signer = scheme.signer(keys);
        Verifier verifier = scheme.verifier(keys.publicKey());
        List<byte[]> messages = new ArrayList<>();
        List<byte[]> expected = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            byte[] m = ("message " + i).getBytes(UTF_8);
            messages.add(m);
            expected.add(scheme.signer(keys).sign(m));
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int offset = t;
                results.add(pool.submit(() -> {
                    for (int round = 0; round < 4; round++) {
                        for (int i = 0; i < messages.size(); i++) {
                            int k = (i + offset) % messages.size();
                            byte[] sig = signer.sign(messages.get(k));
                            if (!java.util.Arrays.equals(sig, expected.get(k))
                                    || !verifier.verify(messages.get(k), sig)
                                    || verifier.verify(messages.get((k + 1) % messages.size()), sig)) {
                                return false;
                            }
                        }
                    }
                    return true;
                }));
            }
            for (Future<Boolean> r : results) {
                assertTrue(r.get());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void schemeIsFoundByServiceLoader() {
        IdentityScheme found = ServiceLoader.load(IdentityScheme.class).stream()
                .map(ServiceLoader.Provider::get)
                .filter(s -> s.name().equals("ed25519"))
                .findFirst().orElseThrow();
        assertEquals(Ed25519Scheme.class, found.getClass());
        assertEquals(0, found.priority());
    }

    /** A SecureRandom that hands out fixed bytes, to generate known keys. */
    private static SecureRandom fixedRandom(byte[] bytes) {
        return new SecureRandom() {
            private static final long serialVersionUID = 1L;

            @Override
            public void nextBytes(byte[] out) {
                System.arraycopy(bytes, 0, out, 0, out.length);
            }
        };
    }

    private static byte[] reverse(byte[] b) {
        byte[] r = new byte[b.length];
        for (int i = 0; i < b.length; i++) {
            r[i] = b[b.length - 1 - i];
        }
        return r;
    }

    private static byte[] leftPad(byte[] bigEndian, int n) {
        byte[] out = new byte[n];
        int copy = Math.min(n, bigEndian.length);
        System.arraycopy(bigEndian, bigEndian.length - copy, out, n - copy, copy);
        return out;
    }
}
