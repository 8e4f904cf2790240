package dev.meshkit.crypto.pqc;

import dev.meshkit.api.NodeId;
import dev.meshkit.api.spi.Signer;
import dev.meshkit.api.spi.Verifier;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Objects;
import org.bouncycastle.crypto.params.MLDSAPrivateKeyParameters;
import org.bouncycastle.crypto.params.MLDSAPublicKeyParameters;

/**
 * ML-DSA-65 on the JDK's own provider (JEP 497, JDK 24 and later), reached through the standard
 * {@code KeyFactory} and {@code Signature} names, so this compiles and loads on older JDKs too.
 *
 * <p>Keys go in as DER ({@link KeyDer}): the public key as a SubjectPublicKeyInfo, the private key
 * as PKCS#8 with the expanded private key, which Bouncy Castle derives from the seed (the JDK's key
 * factory does not read the seed form everywhere yet). Signatures are pure ML-DSA with an empty context and
 * hedged, as Bouncy Castle's are.
 */
final class JdkMlDsa implements MlDsaEngine {
    private final KeyFactory keys;

    private JdkMlDsa(KeyFactory keys) {
        this.keys = keys;
    }

    /** The JDK's engine, or {@code null} if this JDK has no ML-DSA. */
    static JdkMlDsa ifAvailable() {
        try {
            Signature.getInstance("ML-DSA");
            return new JdkMlDsa(KeyFactory.getInstance("ML-DSA"));
        } catch (GeneralSecurityException e) {
            return null;
        }
    }

    @Override
    public String name() {
        return "jdk";
    }

    @Override
    public Signer signer(MLDSAPrivateKeyParameters key) {
        byte[] expanded = key.getEncoded();
        byte[] der;
        try {
            der = KeyDer.ML_DSA_65_PRIVATE.wrap(expanded);
        } finally {
            Arrays.fill(expanded, (byte) 0);
        }
        try {
            PrivateKey privateKey;
            synchronized (keys) {
                privateKey = keys.generatePrivate(new PKCS8EncodedKeySpec(der));
            }
            return new Signing(privateKey, NodeId.ofPublicKey(key.getPublicKey()));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("the JDK refuses the ML-DSA-65 private key", e);
        } finally {
            Arrays.fill(der, (byte) 0);
        }
    }

    @Override
    public Verifier verifier(MLDSAPublicKeyParameters key, NodeId id) {
        try {
            PublicKey publicKey;
            synchronized (keys) {
                publicKey = keys.generatePublic(
                        new X509EncodedKeySpec(KeyDer.ML_DSA_65_PUBLIC.wrap(key.getEncoded())));
            }
            return new Verification(publicKey, id);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("the JDK refuses the ML-DSA-65 public key", e);
        }
    }

    /** A {@code Signature} is stateful, so each call gets its own; the key is shared read-only. */
    private static final class Signing implements Signer {
        private final PrivateKey key;
        private final NodeId id;

        Signing(PrivateKey key, NodeId id) {
            this.key = key;
            this.id = id;
        }

        @Override
        public byte[] sign(byte[] data) {
            Objects.requireNonNull(data, "data");
            try {
                Signature s = Signature.getInstance("ML-DSA");
                s.initSign(key);
                s.update(data);
                return s.sign();
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(MlDsa65Scheme.NAME + " signing failed", e);
            }
        }

        @Override
        public String toString() {
            return "ML-DSA-65 signer (JDK) for " + id.shortForm();
        }
    }

    private static final class Verification implements Verifier {
        private final PublicKey key;
        private final NodeId id;

        Verification(PublicKey key, NodeId id) {
            this.key = key;
            this.id = id;
        }

        @Override
        public boolean verify(byte[] data, byte[] signature) {
            if (data == null || signature == null || signature.length != MlDsa65Scheme.SIGNATURE_BYTES) {
                return false;
            }
            try {
                Signature s = Signature.getInstance("ML-DSA");
                s.initVerify(key);
                s.update(data);
                return s.verify(signature);
            } catch (GeneralSecurityException | RuntimeException e) {
                return false;
            }
        }

        @Override
        public String toString() {
            return "ML-DSA-65 verifier (JDK) for " + id.shortForm();
        }
    }
}
