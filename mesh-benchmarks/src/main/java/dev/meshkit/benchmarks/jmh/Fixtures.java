package dev.meshkit.benchmarks.jmh;

import dev.meshkit.api.NodeId;
import dev.meshkit.api.spi.IdentityScheme;
import dev.meshkit.api.spi.KeyMaterial;
import dev.meshkit.api.wire.Envelope;
import dev.meshkit.core.Identities;
import dev.meshkit.core.gossip.EnvelopeSigning;
import java.security.SecureRandom;
import java.util.SplittableRandom;

/** Data the benchmarks share: keys and signed envelopes built through MeshKit's own API. */
final class Fixtures {
    /** The message type used everywhere, like an application's. */
    static final String TYPE = "bench.payload";

    private Fixtures() {
    }

    /** The built-in Ed25519 scheme, found the way a node finds it. */
    static IdentityScheme ed25519() {
        return Identities.scheme("ed25519");
    }

    /** A fresh Ed25519 key pair. */
    static KeyMaterial keys() {
        return ed25519().generate(new SecureRandom());
    }

    /** Reproducible pseudo-random bytes (payloads must not be all zeros, which base64 encodes unusually well). */
    static byte[] payload(int size, long seed) {
        byte[] b = new byte[size];
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = 0; i < size; i++) {
            b[i] = (byte) r.nextInt(256);
        }
        return b;
    }

    /** A broadcast envelope carrying {@code payload}, signed by {@code keys} as a node would sign it. */
    static Envelope signedBroadcast(KeyMaterial keys, byte[] payload) {
        NodeId origin = keys.nodeId();
        Envelope unsigned = new Envelope(TYPE, origin, null, 1_700_000_000_000L, 42, 10, 0, payload,
                keys.publicKey(), new byte[0]);
        byte[] signature = ed25519().signer(keys).sign(EnvelopeSigning.signedBytes(unsigned));
        return new Envelope(TYPE, origin, null, unsigned.timestamp(), unsigned.sequence(), 10, 0, payload,
                keys.publicKey(), signature);
    }
}
