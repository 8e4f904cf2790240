package dev.meshkit.core.gossip;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshkit.api.spi.IdentityScheme;
import dev.meshkit.api.spi.KeyMaterial;
import dev.meshkit.core.Identities;
import org.junit.jupiter.api.Test;

class VerifierCacheTest {
    private final IdentityScheme scheme = Identities.scheme("ed25519");
    private final KeyMaterial origin = Identities.generate("ed25519");
    private final byte[] data = {1, 2, 3};
    private final byte[] signature = scheme.signer(origin).sign(data);

    @Test
    void theVerdictDependsOnTheEnvelopeNotOnWhatIsCached() {
        VerifierCache fresh = new VerifierCache(scheme, 16);
        VerifierCache warm = new VerifierCache(scheme, 16);
        assertTrue(warm.forOrigin(origin.nodeId(), origin.publicKey()).verify(data, signature));
        byte[] otherKey = Identities.generate("ed25519").publicKey();
        // The same envelope with another key must fail everywhere, cached or not: a relay that
        // passed it on would be blamed by a neighbour that refuses it.
        assertFalse(fresh.forOrigin(origin.nodeId(), otherKey).verify(data, signature));
        assertFalse(warm.forOrigin(origin.nodeId(), otherKey).verify(data, signature));
        assertTrue(warm.forOrigin(origin.nodeId(), origin.publicKey()).verify(data, signature));
    }
}
