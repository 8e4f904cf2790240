package dev.meshkit.core.channel;

import dev.meshkit.api.spi.KeyExchange;
import dev.meshkit.api.spi.SecureChannelProvider;
import java.security.SecureRandom;

/**
 * The built-in suite: ephemeral X25519 and AES-256-GCM records. Always present, so links are
 * encrypted even without mesh-crypto-pqc, whose hybrid suite outranks this one.
 */
public final class X25519ChannelProvider implements SecureChannelProvider {
    /** The suite's wire name. */
    public static final String NAME = "x25519-aes256gcm";
    private final SecureRandom random = new SecureRandom();

    @Override
    public String suite() {
        return NAME;
    }

    @Override
    public int priority() {
        return 10;
    }

    @Override
    public boolean postQuantum() {
        return false;
    }

    @Override
    public KeyExchange keyExchange() {
        return new X25519KeyExchange(random);
    }
}
