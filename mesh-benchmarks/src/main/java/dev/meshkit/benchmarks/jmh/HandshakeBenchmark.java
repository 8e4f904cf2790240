package dev.meshkit.benchmarks.jmh;

import dev.meshkit.api.ChannelSettings;
import dev.meshkit.api.spi.IdentityScheme;
import dev.meshkit.api.spi.KeyMaterial;
import dev.meshkit.api.spi.SecureChannelProvider;
import dev.meshkit.api.spi.Signer;
import dev.meshkit.api.spi.Verifier;
import dev.meshkit.core.channel.ChannelSuites;
import dev.meshkit.core.channel.KeySchedule;
import dev.meshkit.core.channel.X25519ChannelProvider;
import dev.meshkit.core.identity.Ed25519Scheme;
import dev.meshkit.crypto.pqc.HybridChannelProvider;
import dev.meshkit.crypto.pqc.MlDsa65Scheme;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.List;
import java.util.concurrent.TimeUnit;
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
 * A whole handshake's cryptography, both sides in one thread, as two nodes run it: the dialler's
 * offer, the listener's answer, each side's transcript hash, key schedule and confirmation, and each
 * side's signature over the transcript checked by the other. Frames, codec and event loop are left
 * out: this is the part the primitives bound. {@code pq} is ML-DSA-65 with the hybrid suite,
 * {@code classic} Ed25519 with X25519.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class HandshakeBenchmark {
    /** Identity scheme and suite. */
    @Param({"pq", "classic"})
    public String kind;

    private ChannelSuites suites;
    private Signer dialerSigner;
    private Signer listenerSigner;
    private Verifier dialerVerifier;
    private Verifier listenerVerifier;
    private final byte[] challenges = new byte[64];

    /** Both nodes' keys. */
    @Setup
    public void setUp() {
        IdentityScheme scheme = kind.equals("pq") ? new MlDsa65Scheme() : new Ed25519Scheme();
        SecureChannelProvider suite = kind.equals("pq") ? new HybridChannelProvider() : new X25519ChannelProvider();
        suites = ChannelSuites.of(ChannelSettings.defaults(), List.of(suite));
        KeyMaterial dialer = scheme.generate(new SecureRandom());
        KeyMaterial listener = scheme.generate(new SecureRandom());
        dialerSigner = scheme.signer(dialer);
        listenerSigner = scheme.signer(listener);
        dialerVerifier = scheme.verifier(dialer.publicKey());
        listenerVerifier = scheme.verifier(listener.publicKey());
        new SecureRandom().nextBytes(challenges);
        handshake();
    }

    /** One handshake; fails loudly if the two sides disagree. */
    @Benchmark
    public Object handshake() {
        try {
            ChannelSuites.Offer offer = suites.offer();
            byte[] offered = offer.bytes();
            // Listener: answer, keys, proof, confirmation.
            ChannelSuites.Agreement heard = suites.answer(offered);
            byte[] th = transcript(offered, heard.answer());
            KeySchedule listenerKeys = KeySchedule.derive(heard.secret(), null, th);
            heard.erase();
            byte[] welcomeProof = listenerSigner.sign(th);
            byte[] welcomeConfirm = listenerKeys.confirmation(false);
            // Dialler: check the welcome, keys, proof, confirmation.
            ChannelSuites.Agreement got = offer.finish(heard.answer());
            byte[] dth = transcript(offered, got.answer());
            KeySchedule dialerKeys = KeySchedule.derive(got.secret(), null, dth);
            got.erase();
            if (!listenerVerifier.verify(dth, welcomeProof) || !dialerKeys.confirms(false, welcomeConfirm)) {
                throw new IllegalStateException("the welcome does not check");
            }
            byte[] authProof = dialerSigner.sign(dth);
            byte[] authConfirm = dialerKeys.confirmation(true);
            // Listener: check the auth.
            if (!dialerVerifier.verify(th, authProof) || !listenerKeys.confirms(true, authConfirm)) {
                throw new IllegalStateException("the auth does not check");
            }
            Object sealer = dialerKeys.sealer(true, ChannelSettings.defaults(), System::currentTimeMillis);
            listenerKeys.erase();
            dialerKeys.erase();
            return sealer;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private byte[] transcript(byte[] offer, byte[] answer) throws Exception {
        MessageDigest d = MessageDigest.getInstance("SHA-256");
        d.update(challenges);
        d.update(offer);
        d.update(answer);
        return d.digest();
    }
}
