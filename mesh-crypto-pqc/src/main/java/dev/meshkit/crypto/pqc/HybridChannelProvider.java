package dev.meshkit.crypto.pqc;

import dev.meshkit.api.spi.KeyExchange;
import dev.meshkit.api.spi.SecureChannelProvider;
import java.security.SecureRandom;

/**
 * The post-quantum link suite: hybrid X25519 + ML-KEM-768 key agreement, then the node's
 * AES-256-GCM records. It outranks the built-in X25519 suite, so two nodes that both have this
 * module agree on it without being told to.
 */
public final class HybridChannelProvider implements SecureChannelProvider {
    /** The suite's wire name. */
    public static final String NAME = "x25519-mlkem768-aes256gcm";
    private final SecureRandom random = new SecureRandom();

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
        return new HybridKeyExchange(random);
    }
}
