package dev.meshkit.testkit.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The overlay's promises at a thousand nodes, each joined through one random earlier node. */
class OverlayScaleTest {

    @Test
    void aThousandNodesFormOneOverlayAndTheTreeDeliversEveryBroadcastAtAboutOneSendEach() {
        SimMesh mesh = SimMesh.builder().nodes(1000).maxPeers(8).seed(1).build();
        mesh.run(Duration.ofSeconds(30));
        assertEquals(List.of(1000), SimMesh.components(mesh.nodes()), "one overlay");
        assertTrue(mesh.nodes().stream().allMatch(n -> n.peers().size() <= 8), "maxPeers is a bound");
        DeliveryReport r = mesh.broadcast(mesh.nodes(), 5, 60, Duration.ofMillis(100), Duration.ofSeconds(10));
        assertEquals(r.expected(), r.delivered(), r.toString());
        assertEquals(0, r.duplicates(), r.toString());
        assertTrue(r.payloadSendsPerDelivery() <= 1.5, r.toString());
    }
}
