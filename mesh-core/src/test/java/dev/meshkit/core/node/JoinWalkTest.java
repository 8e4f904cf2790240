package dev.meshkit.core.node;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshkit.api.Endpoint;
import dev.meshkit.api.MeshNode;
import dev.meshkit.api.NodeId;
import dev.meshkit.api.wire.Frame;
import dev.meshkit.api.wire.PeerRecord;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Join walks: a newcomer's first neighbour sends them out, nodes pass them on, the last one links. */
class JoinWalkTest extends MemNodeTest {
    private static final Endpoint NEWCOMER_AT = Endpoint.parse("mem://newcomer");

    @Test
    void aNewcomersFirstNeighbourSendsAWalkThroughEachOtherNeighbourOncePerLink() throws Exception {
        MeshNode hub = start(builder("hub"));
        try (RawPeer r1 = joined("hub", hub); RawPeer r2 = joined("hub", hub); RawPeer n = dial("hub")) {
            n.handshake("meshkit", 0, NEWCOMER_AT);
            await().atMost(5, TimeUnit.SECONDS).until(() -> hub.peers().stream().anyMatch(p -> p.id().equals(n.keys.nodeId())));
            // A join request must name where the newcomer said it listens: another endpoint is ignored.
            n.send(new Frame.Join(new PeerRecord(n.keys.nodeId(), Endpoint.parse("mem://elsewhere")), 6));
            n.send(new Frame.Join(new PeerRecord(n.keys.nodeId(), NEWCOMER_AT), 6));
            n.send(new Frame.Join(new PeerRecord(n.keys.nodeId(), NEWCOMER_AT), 6));
            for (RawPeer r : new RawPeer[] {r1, r2}) {
                Frame.Join walk = walkFor(r, n.keys.nodeId());
                assertNotNull(walk, "no walk reached a neighbour");
                assertEquals(NEWCOMER_AT, walk.newcomer().endpoint());
                assertEquals(6, walk.ttl());
                assertNull(walkFor(r, n.keys.nodeId()), "a second request started walks again");
            }
        }
    }

    @Test
    void aWalkGoesOnToAnotherNeighbourOneHopShorter() throws Exception {
        MeshNode hub = start(builder("hub"));
        try (RawPeer r1 = joined("hub", hub); RawPeer r2 = joined("hub", hub)) {
            NodeId stranger = new RawPeer().keys.nodeId();
            r1.send(new Frame.Join(new PeerRecord(stranger, NEWCOMER_AT), 5));
            Frame.Join walk = walkFor(r2, stranger);
            assertNotNull(walk, "the walk stopped");
            assertEquals(4, walk.ttl());
            assertNull(walkFor(r1, stranger), "a walk never goes back the way it came");
        }
    }

    @Test
    void theLastNodeOfAWalkLinksTheNewcomerMakingRoomIfFull() throws Exception {
        MeshNode newcomer = start(builder("newcomer"));
        MeshNode end = start(builder("end").maxPeers(2));
        try (RawPeer older = joined("end", end)) {
            MeshNode younger = start(builder("younger").seed("mem://end"));
            await().atMost(5, TimeUnit.SECONDS).until(() -> end.peers().size() == 2);
            older.send(new Frame.Join(new PeerRecord(newcomer.id(), NEWCOMER_AT), 0));
            await().atMost(5, TimeUnit.SECONDS).until(() -> end.peers().stream().anyMatch(p -> p.id().equals(newcomer.id())));
            assertEquals(2, end.peers().size(), "maxPeers still holds");
            assertTrue(end.peers().stream().noneMatch(p -> p.id().equals(younger.id())), "the youngest inbound link made room");
            assertTrue(end.peers().stream().anyMatch(p -> p.id().equals(older.keys.nodeId())), "the older one stays");
        }
    }

    /** The next walk for {@code newcomer} that {@code r} receives within a second, or null. */
    private static Frame.Join walkFor(RawPeer r, NodeId newcomer) throws InterruptedException {
        for (Frame.Join j; (j = r.next(Frame.Join.class, 1)) != null; ) {
            if (j.newcomer().id().equals(newcomer)) {
                return j;
            }
        }
        return null;
    }
}
