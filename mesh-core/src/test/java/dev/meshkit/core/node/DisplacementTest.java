package dev.meshkit.core.node;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshkit.api.MeshNode;
import dev.meshkit.api.RefusalReason;
import dev.meshkit.api.wire.Frame;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** When a full node drops a neighbour for a dialler, and when it refuses instead. */
class DisplacementTest extends MemNodeTest {

    @Test
    void aFullNodeMakesRoomForADiallerWithOneLinkButNotForOneWithTwo() throws Exception {
        MeshNode busy = full("busy", 2);
        try (RawPeer two = dial("busy")) {
            assertRefusedFull(two, 2);
        }
        try (RawPeer one = dial("busy")) {
            one.handshake("meshkit", 1);
            await().atMost(5, TimeUnit.SECONDS).until(() -> isPeer(busy, one));
            assertEquals(2, busy.peers().size(), "one neighbour went to make room");
        }
    }

    @Test
    void aListenerKeepingOneLinkGivesItUpOnlyForADiallerWithNone() throws Exception {
        MeshNode single = full("single", 1);
        try (RawPeer one = dial("single")) {
            assertRefusedFull(one, 1);
        }
        try (RawPeer none = dial("single")) {
            none.handshake("meshkit", 0);
            await().atMost(5, TimeUnit.SECONDS).until(() -> isPeer(single, none));
            assertEquals(1, single.peers().size());
        }
    }

    /** A node at {@code mem://name} whose {@code maxPeers} slots are taken by nodes that dialled it. */
    private MeshNode full(String name, int maxPeers) {
        MeshNode n = start(builder(name).maxPeers(maxPeers));
        for (int i = 0; i < maxPeers; i++) {
            start(builder(name + i).maxPeers(1).seed("mem://" + name));
        }
        await().atMost(5, TimeUnit.SECONDS).until(() -> n.peers().size() == maxPeers);
        return n;
    }

    private static void assertRefusedFull(RawPeer p, int links) throws Exception {
        p.send(p.hello(RawPeer.VERSION, "meshkit", "ed25519", p.keys.publicKey(), RawPeer.challenge(), null, links));
        Frame.Refuse r = p.expect(Frame.Refuse.class);
        assertEquals(RefusalReason.FULL.wireName(), r.reason());
    }

    private static boolean isPeer(MeshNode n, RawPeer p) {
        return n.peers().stream().anyMatch(i -> i.id().equals(p.keys.nodeId()));
    }
}
