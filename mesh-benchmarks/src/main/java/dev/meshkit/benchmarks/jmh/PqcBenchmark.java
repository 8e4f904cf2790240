package dev.meshkit.benchmarks.jmh;

import dev.meshkit.api.spi.KeyExchange;
import dev.meshkit.api.spi.KeyMaterial;
import dev.meshkit.api.spi.Signer;
import dev.meshkit.api.spi.Verifier;
import dev.meshkit.crypto.pqc.HybridChannelProvider;
import dev.meshkit.crypto.pqc.MlDsa65Scheme;
import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.CryptoException;
import org.bouncycastle.crypto.SecretWithEncapsulation;
import org.bouncycastle.crypto.generators.MLKEMKeyPairGenerator;
import org.bouncycastle.crypto.kems.MLKEMExtractor;
import org.bouncycastle.crypto.kems.MLKEMGenerator;
import org.bouncycastle.crypto.params.MLDSAParameters;
import org.bouncycastle.crypto.params.MLDSAPrivateKeyParameters;
import org.bouncycastle.crypto.params.MLDSAPublicKeyParameters;
import org.bouncycastle.crypto.params.MLKEMKeyGenerationParameters;
import org.bouncycastle.crypto.params.MLKEMParameters;
import org.bouncycastle.crypto.params.MLKEMPrivateKeyParameters;
import org.bouncycastle.crypto.params.MLKEMPublicKeyParameters;
import org.bouncycastle.crypto.params.ParametersWithRandom;
import org.bouncycastle.crypto.signers.MLDSASigner;
import org.bouncycastle.math.ec.rfc7748.X25519;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The post-quantum primitives through MeshKit's API against Bouncy Castle used directly.
 *
 * <p>ML-DSA-65: sign and verify of a 1 KB message, MeshKit's {@code IdentityScheme} against
 * {@link MLDSASigner}. The hybrid key agreement: each side's step through MeshKit's
 * {@code KeyExchange} against the same Bouncy Castle calls made by hand (X25519 plus ML-KEM-768 key
 * generation, encapsulation, decapsulation), and ML-KEM-768 alone.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class PqcBenchmark {
    private final SecureRandom random = new SecureRandom();
    private final HybridChannelProvider suite = new HybridChannelProvider();
    private byte[] message;
    private Signer meshSigner;
    private Verifier meshVerifier;
    private byte[] signature;
    private MLDSAPrivateKeyParameters dsaPrivate;
    private MLDSAPublicKeyParameters dsaPublic;
    private byte[] offer;
    private byte[] answer;
    private MLKEMPublicKeyParameters kemPublic;
    private MLKEMPrivateKeyParameters kemPrivate;
    private byte[] ciphertext;
    private byte[] peerX25519;

    /** Keys, one signature and one exchange, checked before measuring. */
    @Setup
    public void setUp() throws Exception {
        MlDsa65Scheme scheme = new MlDsa65Scheme();
        KeyMaterial keys = scheme.generate(random);
        message = Fixtures.payload(1024, 3);
        meshSigner = scheme.signer(keys);
        meshVerifier = scheme.verifier(keys.publicKey());
        signature = meshSigner.sign(message);
        dsaPrivate = new MLDSAPrivateKeyParameters(MLDSAParameters.ml_dsa_65, keys.privateKey());
        dsaPublic = new MLDSAPublicKeyParameters(MLDSAParameters.ml_dsa_65, keys.publicKey());
        if (!meshkitVerify() || !bcVerify()) {
            throw new IllegalStateException("a good signature does not verify");
        }
        KeyExchange dialer = suite.keyExchange();
        offer = dialer.offer();
        answer = suite.keyExchange().answer(offer);
        MLKEMKeyPairGenerator g = new MLKEMKeyPairGenerator();
        g.init(new MLKEMKeyGenerationParameters(random, MLKEMParameters.ml_kem_768));
        AsymmetricCipherKeyPair pair = g.generateKeyPair();
        kemPublic = (MLKEMPublicKeyParameters) pair.getPublic();
        kemPrivate = (MLKEMPrivateKeyParameters) pair.getPrivate();
        ciphertext = new MLKEMGenerator(random).generateEncapsulated(kemPublic).getEncapsulation();
        peerX25519 = java.util.Arrays.copyOf(offer, X25519.POINT_SIZE);
    }

    /** MeshKit: ML-DSA-65 signature of 1 KB (hedged). */
    @Benchmark
    public byte[] meshkitSign() {
        return meshSigner.sign(message);
    }

    /** Bouncy Castle: the same signature. */
    @Benchmark
    public byte[] bcSign() throws CryptoException {
        MLDSASigner s = new MLDSASigner();
        s.init(true, new ParametersWithRandom(dsaPrivate, random));
        s.update(message, 0, message.length);
        return s.generateSignature();
    }

    /** MeshKit: ML-DSA-65 verification of 1 KB. */
    @Benchmark
    public boolean meshkitVerify() {
        return meshVerifier.verify(message, signature);
    }

    /** Bouncy Castle: the same verification. */
    @Benchmark
    public boolean bcVerify() {
        MLDSASigner s = new MLDSASigner();
        s.init(false, dsaPublic);
        s.update(message, 0, message.length);
        return s.verifySignature(signature);
    }

    /** ML-KEM-768 key generation (Bouncy Castle). */
    @Benchmark
    public Object kemKeyGen() {
        MLKEMKeyPairGenerator g = new MLKEMKeyPairGenerator();
        g.init(new MLKEMKeyGenerationParameters(random, MLKEMParameters.ml_kem_768));
        return g.generateKeyPair();
    }

    /** ML-KEM-768 encapsulation (Bouncy Castle). */
    @Benchmark
    public SecretWithEncapsulation kemEncaps() {
        return new MLKEMGenerator(random).generateEncapsulated(kemPublic);
    }

    /** ML-KEM-768 decapsulation (Bouncy Castle). */
    @Benchmark
    public byte[] kemDecaps() {
        return new MLKEMExtractor(kemPrivate).extractSecret(ciphertext);
    }

    /** MeshKit: the dialler's first step, a fresh X25519 key and ML-KEM key pair. */
    @Benchmark
    public byte[] meshkitOffer() {
        return suite.keyExchange().offer();
    }

    /** By hand: the same with Bouncy Castle. */
    @Benchmark
    public Object rawOffer() {
        byte[] x = new byte[X25519.SCALAR_SIZE];
        byte[] xp = new byte[X25519.POINT_SIZE];
        X25519.generatePrivateKey(random, x);
        X25519.generatePublicKey(x, 0, xp, 0);
        return kemKeyGen();
    }

    /** MeshKit: the listener's step, X25519 key and agreement plus ML-KEM encapsulation. */
    @Benchmark
    public byte[] meshkitAnswer() throws Exception {
        try (KeyExchange x = suite.keyExchange()) {
            return x.answer(offer);
        }
    }

    /** By hand: the same with Bouncy Castle, the encapsulation key decoded from the offer's bytes. */
    @Benchmark
    public Object rawAnswer() {
        byte[] x = new byte[X25519.SCALAR_SIZE];
        byte[] xp = new byte[X25519.POINT_SIZE];
        byte[] shared = new byte[X25519.POINT_SIZE];
        X25519.generatePrivateKey(random, x);
        X25519.generatePublicKey(x, 0, xp, 0);
        X25519.calculateAgreement(x, 0, peerX25519, 0, shared, 0);
        MLKEMPublicKeyParameters key = new MLKEMPublicKeyParameters(MLKEMParameters.ml_kem_768,
                java.util.Arrays.copyOfRange(offer, X25519.POINT_SIZE, offer.length));
        return new MLKEMGenerator(random).generateEncapsulated(key);
    }

    /** MeshKit: the dialler's last step, X25519 agreement plus ML-KEM decapsulation (offer made in the call). */
    @Benchmark
    public byte[] meshkitOfferAndFinish() throws Exception {
        try (KeyExchange x = suite.keyExchange()) {
            x.offer();
            x.finish(answer);
            return x.secret();
        }
    }

    /** By hand: the same with Bouncy Castle. */
    @Benchmark
    public byte[] rawOfferAndFinish() {
        byte[] x = new byte[X25519.SCALAR_SIZE];
        byte[] xp = new byte[X25519.POINT_SIZE];
        byte[] shared = new byte[X25519.POINT_SIZE];
        X25519.generatePrivateKey(random, x);
        X25519.generatePublicKey(x, 0, xp, 0);
        MLKEMKeyPairGenerator g = new MLKEMKeyPairGenerator();
        g.init(new MLKEMKeyGenerationParameters(random, MLKEMParameters.ml_kem_768));
        AsymmetricCipherKeyPair pair = g.generateKeyPair();
        X25519.calculateAgreement(x, 0, answer, 0, shared, 0);
        return new MLKEMExtractor((MLKEMPrivateKeyParameters) pair.getPrivate())
                .extractSecret(java.util.Arrays.copyOfRange(answer, X25519.POINT_SIZE, answer.length));
    }
}
