package dev.meshkit.transport.ws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshkit.api.Endpoint;
import dev.meshkit.api.spi.Connection;
import dev.meshkit.api.spi.ConnectionHandler;
import dev.meshkit.api.spi.Listener;
import dev.meshkit.api.spi.Transport;
import dev.meshkit.api.spi.TransportOptions;
import dev.meshkit.api.spi.TransportProvider;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class WsTransportProviderTest {

    @Test
    void serviceLoaderFindsTheProvider() {
        // Tests run inside this module, which provides but does not use the service.
        getClass().getModule().addUses(TransportProvider.class);
        List<TransportProvider> found = ServiceLoader.load(TransportProvider.class).stream()
                .map(ServiceLoader.Provider::get)
                .filter(p -> p instanceof WsTransportProvider)
                .collect(Collectors.toList());
        assertEquals(1, found.size());
        assertEquals(Set.of("ws"), found.get(0).schemes());
    }

    @Test
    void classPathRegistrationIsShippedToo() throws Exception {
        try (InputStream in = WsTransportProvider.class.getResourceAsStream(
                "/META-INF/services/dev.meshkit.api.spi.TransportProvider")) {
            assertNotNull(in, "META-INF/services entry missing");
            String line = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).readLine();
            assertEquals(WsTransportProvider.class.getName(), line.trim());
        }
    }

    @Test
    void providerTransportsTalkToEachOther() throws Exception {
        TransportProvider provider = new WsTransportProvider();
        try (Transport a = provider.create(TransportOptions.defaults());
                Transport b = provider.create(TransportOptions.defaults())) {
            assertEquals(Set.of("ws"), a.schemes());
            BlockingQueue<byte[]> got = new ArrayBlockingQueue<>(1);
            Listener l = a.listen(Endpoint.parse("ws://localhost:0"), new ConnectionHandler() {
                @Override
                public void onOpen(Connection connection) {
                }

                @Override
                public void onFrame(Connection connection, byte[] frame) {
                    connection.send(frame);
                }

                @Override
                public void onClose(Connection connection, int code, String reason, boolean remote) {
                }
            }).get(5, TimeUnit.SECONDS);
            assertEquals("127.0.0.1", l.endpoint().host());
            Connection c = b.dial(l.endpoint(), new ConnectionHandler() {
                @Override
                public void onOpen(Connection connection) {
                }

                @Override
                public void onFrame(Connection connection, byte[] frame) {
                    got.add(frame);
                }

                @Override
                public void onClose(Connection connection, int code, String reason, boolean remote) {
                }
            }).get(5, TimeUnit.SECONDS);
            assertTrue(c.send("hi".getBytes(StandardCharsets.UTF_8)));
            assertEquals("hi", new String(got.poll(5, TimeUnit.SECONDS), StandardCharsets.UTF_8));
        }
    }
}
