package dev.meshkit.transport.ws;

import dev.meshkit.api.spi.Transport;
import dev.meshkit.api.spi.TransportOptions;
import dev.meshkit.api.spi.TransportProvider;
import dev.meshkit.transport.ws.internal.WsTransport;
import java.util.Objects;
import java.util.Set;

/**
 * Provides transports for the {@code ws} scheme: plain WebSocket over TCP, one binary WebSocket
 * message per frame.
 *
 * <p>Listening uses a Java-WebSocket server; dialling uses MeshKit's own non-blocking client, whose
 * connections share one selector thread per transport instead of spending threads on each one.
 * TLS ({@code wss}) is not offered by this provider.
 */
public final class WsTransportProvider implements TransportProvider {

    /** Creates the provider; {@link java.util.ServiceLoader} calls this. */
    public WsTransportProvider() {
    }

    @Override
    public Set<String> schemes() {
        return Set.of(WsTransport.SCHEME);
    }

    @Override
    public Transport create(TransportOptions options) {
        return new WsTransport(Objects.requireNonNull(options, "options"));
    }
}
