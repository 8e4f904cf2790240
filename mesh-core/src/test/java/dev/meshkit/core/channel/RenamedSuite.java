package dev.meshkit.core.channel;

import dev.meshkit.api.spi.KeyExchange;
import dev.meshkit.api.spi.SecureChannelProvider;

/** The built-in X25519 key agreement under another name: a stand-in for suites a test needs. */
public final class RenamedSuite {
    private RenamedSuite() {
    }

    /** X25519 as the suite {@code name}. */
    public static SecureChannelProvider of(String name, int priority, boolean postQuantum) {
        return new SecureChannelProvider() {
            @Override
            public String suite() {
                return name;
            }

            @Override
            public int priority() {
                return priority;
            }

            @Override
            public boolean postQuantum() {
                return postQuantum;
            }

            @Override
            public KeyExchange keyExchange() {
                return new X25519ChannelProvider().keyExchange();
            }
        };
    }
}
