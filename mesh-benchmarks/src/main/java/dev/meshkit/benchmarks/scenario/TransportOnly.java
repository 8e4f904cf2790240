package dev.meshkit.benchmarks.scenario;

import dev.meshkit.api.Endpoint;
import dev.meshkit.api.spi.Connection;
import dev.meshkit.api.spi.ConnectionHandler;
import dev.meshkit.api.spi.Listener;
import dev.meshkit.api.spi.Transport;
import dev.meshkit.api.spi.TransportOptions;
import dev.meshkit.api.spi.TransportProvider;
import java.util.Comparator;
import java.util.ServiceLoader;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * MeshKit's transport for a scheme, with no node on top: one link on 127.0.0.1, frames sent one way,
 * either from the dialler to the listener or back. Separates what the transport costs from what the
 * node adds when a relay is slower than raw Java-WebSocket.
 */
final class TransportOnly implements AutoCloseable {
    private final Transport listening;
    private final Transport dialling;
    private final Listener listener;
    private final Connection sender;
    private volatile Probe probe;

    private TransportOnly(String scheme, boolean fromDialler) throws Exception {
        TransportProvider provider = ServiceLoader.load(TransportProvider.class).stream()
                .map(ServiceLoader.Provider::get)
                .filter(p -> p.schemes().contains(scheme))
                .max(Comparator.comparingInt(TransportProvider::priority))
                .orElseThrow(() -> new IllegalStateException("no transport for " + scheme + " on the class path"));
        listening = provider.create(TransportOptions.defaults());
        dialling = provider.create(TransportOptions.defaults());
        CompletableFuture<Connection> accepted = new CompletableFuture<>();
        // The receiving end is the sink: the listener when the dialler sends, else the dialler.
        listener = listening.listen(Endpoint.parse(scheme + "://127.0.0.1:0"), handler(accepted, fromDialler))
                .get(10, TimeUnit.SECONDS);
        Connection dialled = dialling.dial(listener.endpoint(), handler(new CompletableFuture<>(), !fromDialler))
                .get(10, TimeUnit.SECONDS);
        sender = fromDialler ? dialled : accepted.get(10, TimeUnit.SECONDS);
    }

    /** A link whose dialler sends ({@code fromDialler}) or whose listener sends. */
    static TransportOnly open(String scheme, boolean fromDialler) throws Exception {
        return new TransportOnly(scheme, fromDialler);
    }

    private ConnectionHandler handler(CompletableFuture<Connection> opened, boolean sink) {
        return new ConnectionHandler() {
            @Override
            public void onOpen(Connection connection) {
                opened.complete(connection);
            }

            @Override
            public void onFrame(Connection connection, byte[] frame) {
                long now = System.nanoTime();
                Probe p = probe;
                if (sink && p != null) {
                    p.delivered(0, frame, now);
                }
            }

            @Override
            public void onClose(Connection connection, int code, String reason, boolean remote) {
            }
        };
    }

    void probe(Probe p) {
        probe = p;
    }

    /** Sends message {@code i} (a copy of the payload, as MeshKit's broadcast copies). */
    void send(Probe p, int i) {
        if (!sender.send(p.payload(i).clone())) {
            throw new IllegalStateException("transport refused a frame: queue full or link closed");
        }
    }

    @Override
    public void close() {
        sender.close(1000, "done");
        listener.close();
        dialling.close();
        listening.close();
    }
}
