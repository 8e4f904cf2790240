package dev.meshkit.benchmarks.jmh;

import dev.meshkit.api.spi.IdentityScheme;
import dev.meshkit.api.spi.KeyMaterial;
import dev.meshkit.api.spi.Signer;
import dev.meshkit.api.spi.Verifier;
import dev.meshkit.api.wire.Envelope;
import dev.meshkit.core.gossip.EnvelopeSigning;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.bouncycastle.math.ec.rfc8032.Ed25519;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Ed25519 through MeshKit's {@link IdentityScheme} against Bouncy Castle used directly, on the same
 * bytes: the signed bytes of a broadcast envelope, as a node signs and verifies them.
 *
 * <p>The raw variants: {@code bcVerifyRawKey} decodes the 32-byte public key on every call (the plain
 * RFC 8032 entry point), {@code bcVerifyPublicPoint} uses a pre-decoded point (what MeshKit's verifier
 * does inside), {@code bcSignerVerify} is Bouncy Castle's high-level {@link Ed25519Signer}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class SignatureBenchmark {
    /** Payload bytes of the envelope whose signed bytes are signed and verified. */
    @Param({"1024"})
    public int payloadBytes;

    private byte[] data;
    private byte[] signature;
    private byte[] publicKey;
    private byte[] seed;
    private Verifier meshVerifier;
    private Signer meshSigner;
    private Ed25519.PublicPoint point;
    private Ed25519PublicKeyParameters bcPublic;
    private Ed25519PrivateKeyParameters bcPrivate;

    /** Keys, data and one signature, checked to verify every way before measuring. */
    @Setup
    public void setUp() {
        IdentityScheme scheme = Fixtures.ed25519();
        KeyMaterial keys = Fixtures.keys();
        Envelope e = Fixtures.signedBroadcast(keys, Fixtures.payload(payloadBytes, 11));
        data = EnvelopeSigning.signedBytes(e);
        signature = e.signature();
        publicKey = keys.publicKey();
        seed = keys.privateKey();
        meshVerifier = scheme.verifier(publicKey);
        meshSigner = scheme.signer(keys);
        point = Ed25519.validatePublicKeyFullExport(publicKey, 0);
        bcPublic = new Ed25519PublicKeyParameters(publicKey, 0);
        bcPrivate = new Ed25519PrivateKeyParameters(seed, 0);
        if (!meshkitVerify() || !bcVerifyRawKey() || !bcVerifyPublicPoint() || !bcSignerVerify()) {
            throw new IllegalStateException("a verifier rejects a good signature");
        }
        if (!Ed25519.verify(meshkitSign(), 0, publicKey, 0, data, 0, data.length)) {
            throw new IllegalStateException("MeshKit's signature does not verify with Bouncy Castle");
        }
    }

    /** MeshKit: {@code IdentityScheme.verifier(publicKey).verify(data, signature)}, verifier built once. */
    @Benchmark
    public boolean meshkitVerify() {
        return meshVerifier.verify(data, signature);
    }

    /** Bouncy Castle RFC 8032 verify from the encoded public key (decoded per call). */
    @Benchmark
    public boolean bcVerifyRawKey() {
        return Ed25519.verify(signature, 0, publicKey, 0, data, 0, data.length);
    }

    /** Bouncy Castle RFC 8032 verify against a pre-decoded public point. */
    @Benchmark
    public boolean bcVerifyPublicPoint() {
        return Ed25519.verify(signature, 0, point, data, 0, data.length);
    }

    /** Bouncy Castle's {@link Ed25519Signer} (buffers the message, then verifies). */
    @Benchmark
    public boolean bcSignerVerify() {
        Ed25519Signer v = new Ed25519Signer();
        v.init(false, bcPublic);
        v.update(data, 0, data.length);
        return v.verifySignature(signature);
    }

    /** MeshKit: {@code IdentityScheme.signer(keys).sign(data)}, signer built once. */
    @Benchmark
    public byte[] meshkitSign() {
        return meshSigner.sign(data);
    }

    /** Bouncy Castle RFC 8032 sign with the public key supplied (no re-derivation). */
    @Benchmark
    public byte[] bcSignRaw() {
        byte[] sig = new byte[Ed25519.SIGNATURE_SIZE];
        Ed25519.sign(seed, 0, publicKey, 0, data, 0, data.length, sig, 0);
        return sig;
    }

    /** Bouncy Castle's {@link Ed25519Signer} sign. */
    @Benchmark
    public byte[] bcSignerSign() {
        Ed25519Signer s = new Ed25519Signer();
        s.init(true, bcPrivate);
        s.update(data, 0, data.length);
        return s.generateSignature();
    }
}
