package dev.meshkit.crypto.pqc;

import dev.meshkit.api.spi.KeyExchange;
import dev.meshkit.api.spi.SecureChannelProvider;
import java.security.SecureRandom;

/**
 * The post-quantum link suite: hybrid X25519 + ML-KEM-768 key agreement, then the node's
 * AES-256-GCM records. It outranks the built-in X25519 suite, so two nodes that both have this
 * module agree on it without being told to.
 *
 * <p>ML-KEM-768 runs on the JDK's own implementation where the JDK has it (24 and later), else on
 * Bouncy Castle; the system property {@value PqcEngines#PROPERTY} ({@code jdk} or {@code bc}) forces
 * one, for ML-DSA-65 too. Both put the same bytes on the wire, so the two ends of a link need not
 * agree on an engine.
 */
public final class HybridChannelProvider implements SecureChannelProvider {
    /** The suite's wire name. */
    public static final String NAME = "x25519-mlkem768-aes256gcm";
    private final SecureRandom random = new SecureRandom();
    private final MlKemEngine engine;

    /** Called by {@link java.util.ServiceLoader}; uses the engine chosen for this JVM. */
    public HybridChannelProvider() {
        this(PqcEngines.chosen().mlKem());
    }

    HybridChannelProvider(MlKemEngine engine) {
        this.engine = engine;
    }

    /** Which implementation runs ML-KEM-768: {@code jdk} or {@code bc}. */
    public String engine() {
        return engine.name();
    }

    @Override
    public String suite() {
        return NAME;
    }

    @Override
    public int priority() {
        return 100;
    }

    @Override
    public boolean postQuantum() {
        return true;
    }

    @Override
    public KeyExchange keyExchange() {
        return new HybridKeyExchange(engine, random);
    }
}
