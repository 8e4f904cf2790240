package dev.meshkit.api.spi;

import java.util.Set;

/** Makes {@link Transport}s for some endpoint schemes, e.g. {@code ws} and {@code wss}. */
public interface TransportProvider {
    /** The schemes this provider's transports handle. */
    Set<String> schemes();

    /** Higher wins when two providers claim a scheme. */
    default int priority() {
        return 0;
    }

    /** A transport for one node; the node closes it when it stops. */
    Transport create(TransportOptions options);
}
