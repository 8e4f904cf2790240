package dev.meshkit.crypto.pqc;

import dev.meshkit.api.NodeId;
import dev.meshkit.api.spi.Signer;
import dev.meshkit.api.spi.Verifier;
import java.security.SecureRandom;
import java.util.Objects;
import org.bouncycastle.crypto.CryptoException;
import org.bouncycastle.crypto.params.MLDSAPrivateKeyParameters;
import org.bouncycastle.crypto.params.MLDSAPublicKeyParameters;
import org.bouncycastle.crypto.params.ParametersWithRandom;
import org.bouncycastle.crypto.signers.MLDSASigner;

/** ML-DSA-65 on Bouncy Castle's lightweight API: available on every JDK. */
final class BouncyCastleMlDsa implements MlDsaEngine {
    @Override
    public String name() {
        return "bc";
    }

    @Override
    public Signer signer(MLDSAPrivateKeyParameters key) {
        return new Signing(key);
    }

    @Override
    public Verifier verifier(MLDSAPublicKeyParameters key, NodeId id) {
        return new Verification(key, id);
    }

    /**
     * Signs with one key. Bouncy Castle's signer keeps per-message state, so each signature gets its
     * own; the key itself is only read, so any thread may sign.
     */
    private static final class Signing implements Signer {
        private final MLDSAPrivateKeyParameters key;
        private final SecureRandom random = new SecureRandom();

        Signing(MLDSAPrivateKeyParameters key) {
            this.key = key;
        }

        @Override
        public byte[] sign(byte[] data) {
            Objects.requireNonNull(data, "data");
            MLDSASigner s = new MLDSASigner();
            s.init(true, new ParametersWithRandom(key, random));
            s.update(data, 0, data.length);
            try {
                return s.generateSignature();
            } catch (CryptoException e) {
                throw new IllegalStateException(MlDsa65Scheme.NAME + " signing failed", e);
            }
        }

        @Override
        public String toString() {
            // Never the seed.
            return "ML-DSA-65 signer for " + NodeId.ofPublicKey(key.getPublicKey()).shortForm();
        }
    }

    /** Verifies against one public key; the key is only read, so any thread may verify. */
    private static final class Verification implements Verifier {
        private final MLDSAPublicKeyParameters key;
        private final NodeId id;

        Verification(MLDSAPublicKeyParameters key, NodeId id) {
            this.key = key;
            this.id = id;
        }

        @Override
        public boolean verify(byte[] data, byte[] signature) {
            if (data == null || signature == null || signature.length != MlDsa65Scheme.SIGNATURE_BYTES) {
                return false;
            }
            try {
                MLDSASigner s = new MLDSASigner();
                s.init(false, key);
                s.update(data, 0, data.length);
                return s.verifySignature(signature);
            } catch (RuntimeException e) {
                // The contract is "false for any malformed input"; a throw would drop a link, not a frame.
                return false;
            }
        }

        @Override
        public String toString() {
            return "ML-DSA-65 verifier for " + id.shortForm();
        }
    }
}
