package dev.meshkit.testkit.hostile;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshkit.api.DefenceSettings;
import dev.meshkit.api.Endpoint;
import dev.meshkit.api.Mesh;
import dev.meshkit.api.MeshNode;
import dev.meshkit.api.spi.Connection;
import dev.meshkit.api.spi.ConnectionHandler;
import dev.meshkit.api.spi.Listener;
import dev.meshkit.api.spi.Transport;
import dev.meshkit.api.wire.Frame;
import dev.meshkit.api.wire.PeerRecord;
import dev.meshkit.core.MemNetwork;
import dev.meshkit.core.node.RawPeer;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A peer on a public address fills its peer list with internal and bogus endpoints. The node must
 * dial none of the internal ones (loopback, link-local metadata services, private networks, addresses
 * of no single host) and only a few of the rest at a time. Runs on the in-memory network, whose
 * transports can pose as any IP address, since loopback peers may point anywhere by design.
 */
class UrlInjectionTest {
    private static final List<String> INTERNAL = List.of("mem://127.0.0.1", "mem://169.254.169.254",
            "mem://10.0.0.7", "mem://192.168.1.1", "mem://0.0.0.0", "mem://224.0.0.1", "mem://[fd00::1]");

    /** Records every endpoint its node dials. */
    private static final class Recording implements Transport {
        final Transport inner;
        final List<Endpoint> dialled = new CopyOnWriteArrayList<>();

        Recording(Transport inner) {
            this.inner = inner;
        }

        @Override
        public Set<String> schemes() {
            return inner.schemes();
        }

        @Override
        public CompletableFuture<Listener> listen(Endpoint endpoint, ConnectionHandler handler) {
            return inner.listen(endpoint, handler);
        }

        @Override
        public CompletableFuture<Connection> dial(Endpoint endpoint, ConnectionHandler handler) {
            dialled.add(endpoint);
            return inner.dial(endpoint, handler);
        }

        @Override
        public void close() {
            inner.close();
        }
    }

    @Test
    void internalEndpointsAreNeverDialledAndTheRestOnlyAFewAtATime() throws Exception {
        MemNetwork net = new MemNetwork();
        Recording transport = new Recording(net.transport());
        MeshNode victim = Mesh.builder().network("inject").transport(transport).listen("mem://victim")
                .defences(DefenceSettings.builder().exempt(List.of()).build()).build();
        victim.start().join();
        try (RawPeer liar = RawPeer.dial(net.transportAt("203.0.113.66"), Endpoint.parse("mem://victim"))) {
            liar.handshake("inject");
            await().atMost(5, TimeUnit.SECONDS).until(() -> victim.peers().size() == 1);
            List<PeerRecord> lies = new ArrayList<>();
            INTERNAL.forEach(e -> lies.add(new PeerRecord(null, Endpoint.parse(e))));
            for (int i = 1; i <= 57; i++) {
                lies.add(new PeerRecord(null, Endpoint.parse("mem://198.51.100." + i)));
            }
            liar.send(new Frame.PeerList(lies));
            await().atMost(5, TimeUnit.SECONDS).until(() -> victim.stats().refusedEndpoints() == INTERNAL.size());
            Thread.sleep(3000); // three rounds of maintenance
            List<String> dialled = transport.dialled.stream().map(Endpoint::toString).distinct().toList();
            assertTrue(dialled.stream().noneMatch(INTERNAL::contains), dialled.toString());
            // Eight at once, then 30 a minute: at most ten in three seconds, of the 57 public ones.
            assertTrue(dialled.size() <= 10, dialled.size() + " dialled: " + dialled);
            assertTrue(dialled.size() >= 1, "public endpoints are still tried");
            assertEquals(1, victim.peers().size());
        } finally {
            victim.stop().join();
        }
    }
}
