package dev.meshkit.benchmarks.scenario;

import dev.meshkit.api.NodeId;
import dev.meshkit.api.spi.IdentityScheme;
import dev.meshkit.api.spi.KeyMaterial;
import dev.meshkit.api.spi.Verifier;
import dev.meshkit.api.wire.Envelope;
import dev.meshkit.core.Identities;
import dev.meshkit.core.gossip.EnvelopeSigning;
import java.security.SecureRandom;

/**
 * Single-core signature verify rate through MeshKit's API ({@code IdentityScheme.verifier(pk).verify}),
 * on the signed bytes of an envelope with a payload of the scenario's size: the work each receiver does
 * once per message.
 */
final class VerifyRate {
    private VerifyRate() {
    }

    /** Verifies per second on the calling thread, after a warm-up of a quarter of {@code samples}. */
    static double measure(String schemeName, int payloadBytes, int samples) {
        IdentityScheme scheme = Identities.scheme(schemeName);
        KeyMaterial keys = scheme.generate(new SecureRandom());
        byte[] payload = new byte[payloadBytes];
        new SecureRandom().nextBytes(payload);
        NodeId origin = keys.nodeId();
        Envelope e = new Envelope(Probe.TYPE, origin, null, System.currentTimeMillis(), 1, 10, 0, payload,
                keys.publicKey(), new byte[0]);
        byte[] data = EnvelopeSigning.signedBytes(e);
        byte[] signature = scheme.signer(keys).sign(data);
        Verifier verifier = scheme.verifier(keys.publicKey());
        int ok = 0;
        for (int i = 0; i < Math.max(2000, samples / 4); i++) {
            ok += verifier.verify(data, signature) ? 1 : 0;
        }
        long t0 = System.nanoTime();
        for (int i = 0; i < samples; i++) {
            ok += verifier.verify(data, signature) ? 1 : 0;
        }
        long t1 = System.nanoTime();
        if (ok != samples + Math.max(2000, samples / 4)) {
            throw new IllegalStateException("a good signature failed to verify");
        }
        return samples * 1e9 / (t1 - t0);
    }
}
