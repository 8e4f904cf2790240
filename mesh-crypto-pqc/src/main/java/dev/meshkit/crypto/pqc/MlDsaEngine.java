package dev.meshkit.crypto.pqc;

import dev.meshkit.api.NodeId;
import dev.meshkit.api.spi.Signer;
import dev.meshkit.api.spi.Verifier;
import org.bouncycastle.crypto.params.MLDSAPrivateKeyParameters;
import org.bouncycastle.crypto.params.MLDSAPublicKeyParameters;

/**
 * What signs and verifies ML-DSA-65 for {@link MlDsa65Scheme}, which has already checked the keys:
 * Bouncy Castle, or the JDK's own implementation where there is one.
 */
interface MlDsaEngine {
    /** {@code bc} or {@code jdk}. */
    String name();

    /** A signer for a key pair derived from its seed. */
    Signer signer(MLDSAPrivateKeyParameters key);

    /** A verifier for a decoded public key. */
    Verifier verifier(MLDSAPublicKeyParameters key, NodeId id);
}
