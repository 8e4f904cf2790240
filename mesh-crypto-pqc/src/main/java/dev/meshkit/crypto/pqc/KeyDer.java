package dev.meshkit.crypto.pqc;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * The DER around a raw ML-DSA or ML-KEM key in the encodings the JDK's key factories read and
 * write: a SubjectPublicKeyInfo for a public key, and for a private key a PKCS#8 PrivateKeyInfo
 * whose private key is the expanded key in an OCTET STRING (RFC 9881 for ML-DSA,
 * draft-ietf-lamps-kyber-certificates for ML-KEM). These algorithm identifiers take no parameters
 * and every key of a parameter set has the same length, so everything before the raw key is one
 * fixed head per kind of key: built once from the OID and the length, then prepended or compared,
 * with no DER parser.
 */
final class KeyDer {
    /** id-ml-dsa-65, 2.16.840.1.101.3.4.3.18, as the contents of a DER OBJECT IDENTIFIER. */
    static final String ML_DSA_65_OID = "608648016503040312";
    /** id-alg-ml-kem-768, 2.16.840.1.101.3.4.4.2, as the contents of a DER OBJECT IDENTIFIER. */
    static final String ML_KEM_768_OID = "608648016503040402";

    static final KeyDer ML_DSA_65_PUBLIC = publicKey(ML_DSA_65_OID, MlDsa65Scheme.PUBLIC_KEY_BYTES);
    static final KeyDer ML_DSA_65_PRIVATE = privateKey(ML_DSA_65_OID, 4032);
    static final KeyDer ML_KEM_768_PUBLIC = publicKey(ML_KEM_768_OID, MlKemEngine.ENCAPSULATION_KEY_BYTES);

    private static final int SEQUENCE = 0x30;
    private static final int INTEGER = 0x02;
    private static final int BIT_STRING = 0x03;
    private static final int OCTET_STRING = 0x04;
    private static final int OBJECT_IDENTIFIER = 0x06;

    private final byte[] head;
    private final int rawBytes;

    private KeyDer(byte[] head, int rawBytes) {
        this.head = head;
        this.rawBytes = rawBytes;
    }

    /** SEQUENCE { SEQUENCE { OID }, BIT STRING { no unused bits, key } }. */
    static KeyDer publicKey(String oid, int rawBytes) {
        byte[] algorithm = algorithm(oid);
        byte[] bits = join(header(BIT_STRING, 1 + rawBytes), new byte[] {0});
        return new KeyDer(join(header(SEQUENCE, algorithm.length + bits.length + rawBytes), algorithm, bits), rawBytes);
    }

    /** SEQUENCE { INTEGER 0, SEQUENCE { OID }, OCTET STRING { OCTET STRING { key } } }. */
    static KeyDer privateKey(String oid, int rawBytes) {
        byte[] version = {INTEGER, 1, 0};
        byte[] algorithm = algorithm(oid);
        byte[] inner = header(OCTET_STRING, rawBytes);
        byte[] outer = header(OCTET_STRING, inner.length + rawBytes);
        int length = version.length + algorithm.length + outer.length + inner.length + rawBytes;
        return new KeyDer(join(header(SEQUENCE, length), version, algorithm, outer, inner), rawBytes);
    }

    /** The DER of {@code raw}; the caller erases it if the key is secret. */
    byte[] wrap(byte[] raw) {
        if (raw.length != rawBytes) {
            throw new IllegalArgumentException("a key here is " + rawBytes + " bytes, not " + raw.length);
        }
        byte[] der = Arrays.copyOf(head, head.length + rawBytes);
        System.arraycopy(raw, 0, der, head.length, rawBytes);
        return der;
    }

    /** The raw key in {@code der}, which must be exactly this head and a key of the right length. */
    byte[] unwrap(byte[] der) {
        if (der.length != head.length + rawBytes || !Arrays.equals(der, 0, head.length, head, 0, head.length)) {
            throw new IllegalArgumentException("not the expected DER for a " + rawBytes + "-byte key");
        }
        return Arrays.copyOfRange(der, head.length, der.length);
    }

    private static byte[] algorithm(String oid) {
        byte[] id = HexFormat.of().parseHex(oid);
        byte[] tagged = join(header(OBJECT_IDENTIFIER, id.length), id);
        return join(header(SEQUENCE, tagged.length), tagged);
    }

    /** A tag and a definite length: one byte below 128, else a count of big-endian length bytes. */
    private static byte[] header(int tag, int length) {
        if (length < 0x80) {
            return new byte[] {(byte) tag, (byte) length};
        }
        int octets = (Integer.SIZE - Integer.numberOfLeadingZeros(length) + 7) / 8;
        byte[] out = new byte[2 + octets];
        out[0] = (byte) tag;
        out[1] = (byte) (0x80 | octets);
        for (int i = 0; i < octets; i++) {
            out[2 + i] = (byte) (length >>> (8 * (octets - 1 - i)));
        }
        return out;
    }

    private static byte[] join(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
