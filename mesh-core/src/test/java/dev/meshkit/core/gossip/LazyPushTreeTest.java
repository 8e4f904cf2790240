package dev.meshkit.core.gossip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshkit.api.GossipSettings;
import dev.meshkit.api.MessageId;
import dev.meshkit.api.NodeId;
import dev.meshkit.api.spi.Codec;
import dev.meshkit.api.spi.NodeRuntime;
import dev.meshkit.api.wire.Envelope;
import dev.meshkit.api.wire.Frame;
import dev.meshkit.api.wire.FrameLimits;
import dev.meshkit.core.ManualRuntime;
import dev.meshkit.core.codec.BinaryCodec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The tree's decisions, driven by hand: what is pushed, announced, pruned and grafted, and when. */
class LazyPushTreeTest {
    private static final NodeId ORIGIN = node(9);
    private static final NodeId A = node(1);
    private static final NodeId B = node(2);
    private static final NodeId C = node(3);

    private final FakeLinks links = new FakeLinks();
    private final LazyPushTree tree = new LazyPushTree(GossipSettings.builder().announceDelay(Duration.ofMillis(20))
            .graftTimeout(Duration.ofMillis(500)).build(), links);

    private static NodeId node(int n) {
        byte[] b = new byte[NodeId.BYTES];
        b[0] = (byte) n;
        return NodeId.fromBytes(b);
    }

    private static MessageId mid(int n) {
        return new MessageId(0, n);
    }

    private static Envelope envelope(int n) {
        return envelope(ORIGIN, n);
    }

    private static Envelope envelope(NodeId origin, int n) {
        return new Envelope("t", origin, null, 1, n, 5, 1, new byte[] {(byte) n}, new byte[32], new byte[64]);
    }

    private void linkAll() {
        tree.linkUp(A);
        tree.linkUp(B);
        tree.linkUp(C);
        links.neighbours.addAll(List.of(A, B, C));
    }

    @Test
    void everyLinkStartsEagerAndAMessageIsNotSentBackToItsSender() {
        linkAll();
        tree.spread(envelope(1), mid(1), A);
        assertEquals(List.of(B, C), links.pushedTo());
        assertTrue(links.controls.isEmpty());
    }

    @Test
    void aDuplicatePrunesTheLinkForThatOriginOnceAndThenTheLinkOnlyCarriesAnnouncements() {
        linkAll();
        tree.spread(envelope(0), mid(0), A);
        tree.duplicate(B, mid(0), null);
        tree.duplicate(B, mid(0), null); // within the announce period: no second prune
        tree.duplicate(B, mid(99), null); // never kept here and origin unknown: nothing to prune
        assertEquals(List.of("prune->" + B.shortForm()), links.controlNames());
        assertEquals(new Frame.Prune(List.of(ORIGIN)), links.controls.get(0).frame());
        links.clear();

        tree.spread(envelope(1), mid(1), A);
        tree.spread(envelope(2), mid(2), A);
        assertEquals(List.of(C, C), links.pushedTo(), "B is lazy now");
        assertTrue(links.controls.isEmpty(), "announcements wait for the delay");
        links.runtime.advance(20);
        assertEquals(1, links.controls.size(), "one announcement frame for both messages");
        Sent s = links.controls.get(0);
        assertEquals(B, s.to());
        assertEquals(new Frame.IHave(List.of(mid(1), mid(2))), s.frame());
    }

    @Test
    void aPruneFromANeighbourStopsPushingToItAndAGraftResumesIt() {
        linkAll();
        tree.control(C, new Frame.Prune(List.of(ORIGIN)));
        tree.spread(envelope(1), mid(1), null);
        assertEquals(List.of(A, B), links.pushedTo());
        links.clear();

        tree.control(C, new Frame.Graft(List.of(mid(1), mid(77))));
        assertEquals(List.of(C), links.pushedTo(), "the kept message is sent, the unknown one ignored");
        tree.spread(envelope(2), mid(2), null);
        assertEquals(List.of(C, A, B, C), links.pushedTo());
    }

    @Test
    void aNeighbourThatKeepsPushingIsPrunedAgain() {
        linkAll();
        // B pruned this end (so B is lazy here), but B itself went eager again: a push of ours
        // crossed its prune. Its pushes are duplicates here, and B must hear so.
        tree.control(B, new Frame.Prune(List.of(ORIGIN)));
        tree.duplicate(B, mid(3), ORIGIN);
        assertEquals(List.of("prune->" + B.shortForm()), links.controlNames());
        links.clear();
        tree.duplicate(B, mid(4), ORIGIN);
        assertTrue(links.controls.isEmpty(), "at most one prune per announce period");
        links.runtime.advance(20);
        tree.duplicate(B, mid(5), ORIGIN);
        assertEquals(List.of("prune->" + B.shortForm()), links.controlNames());
    }

    @Test
    void aCopyUnderVerificationDoesNotSilenceAnnouncements() {
        linkAll();
        links.pending.add(mid(5)); // a forged copy, say, is being checked
        tree.control(A, new Frame.IHave(List.of(mid(5))));
        links.runtime.advance(800);
        assertTrue(links.controls.isEmpty(), "no graft while the copy may still be good");
        links.pending.remove(mid(5)); // it failed
        links.runtime.advance(600);
        assertEquals(List.of("graft->" + A.shortForm()), links.controlNames());
    }

    @Test
    void aFloodingNodeAsksForWhatATreeNeighbourOnlyAnnounces() {
        Flood flood = new Flood(links);
        links.known.add(mid(1));
        links.pending.add(mid(2));
        flood.control(A, new Frame.IHave(List.of(mid(1), mid(2), mid(3))));
        assertEquals(List.of(new Sent(A, new Frame.Graft(List.of(mid(3))))), links.controls);
    }

    @Test
    void eachOriginHasItsOwnTree() {
        linkAll();
        NodeId other = node(8);
        tree.control(C, new Frame.Prune(List.of(ORIGIN)));
        tree.spread(envelope(other, 1), mid(1), A);
        assertEquals(List.of(B, C), links.pushedTo(), "a prune for one origin leaves the others eager");
        links.clear();
        tree.spread(envelope(2), mid(2), A);
        assertEquals(List.of(B), links.pushedTo());
    }

    @Test
    void aFirstCopyFromAPrunedLinkMakesItEagerAgainForThatOrigin() {
        linkAll();
        tree.control(C, new Frame.Prune(List.of(ORIGIN)));
        tree.spread(envelope(1), mid(1), C); // C pushed it after all: its end is eager
        links.clear();
        tree.spread(envelope(2), mid(2), A);
        assertEquals(List.of(B, C), links.pushedTo());
    }

    @Test
    void aMissingMessageIsAskedForAfterTheTimeoutFromOneAnnouncerThenTheNext() {
        linkAll();
        tree.control(A, new Frame.IHave(List.of(mid(5))));
        tree.control(B, new Frame.IHave(List.of(mid(5))));
        links.runtime.advance(499);
        assertTrue(links.controls.isEmpty(), "not before the timeout");
        links.runtime.advance(300);
        assertEquals(List.of("graft->" + A.shortForm()), links.controlNames());
        assertEquals(new Frame.Graft(List.of(mid(5))), links.controls.get(0).frame());
        links.clear();

        assertTrue(links.broken.isEmpty());
        links.runtime.advance(600); // A never answered
        assertEquals(List.of("graft->" + B.shortForm()), links.controlNames());
        assertEquals(List.of(A), links.broken, "A broke its promise");
        links.clear();
        links.runtime.advance(2000); // nobody left to ask: the entry is dropped, no more grafts
        assertTrue(links.controls.isEmpty());
        assertEquals(List.of(A, B), links.broken);
        assertEquals(0, links.runtime.pending(), "no timer left behind");
    }

    @Test
    void aGraftAnsweredInTimeIsNoBrokenPromise() {
        linkAll();
        tree.control(A, new Frame.IHave(List.of(mid(7))));
        links.runtime.advance(800);
        assertEquals(List.of("graft->" + A.shortForm()), links.controlNames());
        tree.spread(envelope(7), mid(7), A);
        links.runtime.advance(2000);
        assertTrue(links.broken.isEmpty());
    }

    @Test
    void aMessageThatArrivesInTimeIsNotAskedFor() {
        linkAll();
        tree.control(A, new Frame.IHave(List.of(mid(5), mid(6))));
        links.known.add(mid(6)); // being verified, say
        tree.spread(envelope(5), mid(5), B);
        links.clear();
        links.runtime.advance(2000);
        assertTrue(links.controls.isEmpty(), "nothing was missing");
    }

    @Test
    void announcementsOfALostNeighbourAreNotFollowed() {
        linkAll();
        tree.control(A, new Frame.IHave(List.of(mid(5))));
        tree.linkDown(A);
        links.neighbours.remove(A);
        links.runtime.advance(2000);
        assertTrue(links.controls.isEmpty());
    }

    @Test
    void controlFramesFromANonNeighbourAreIgnored() {
        linkAll();
        tree.control(node(42), new Frame.IHave(List.of(mid(5))));
        tree.control(node(42), new Frame.Graft(List.of(mid(5))));
        links.runtime.advance(2000);
        assertTrue(links.controls.isEmpty() && links.pushes.isEmpty());
    }

    @Test
    void announcementsAreSplitAtTheFrameBound() {
        linkAll();
        tree.control(B, new Frame.Prune(List.of(ORIGIN)));
        for (int i = 0; i < links.maxIdsPerFrame() + 3; i++) {
            tree.spread(envelope(i), mid(i), A);
        }
        assertEquals(1, links.controls.size(), "a full frame goes at once");
        assertEquals(links.maxIdsPerFrame(), ((Frame.IHave) links.controls.get(0).frame()).ids().size());
        links.runtime.advance(20);
        assertEquals(3, ((Frame.IHave) links.controls.get(1).frame()).ids().size());
    }

    @Test
    void theMissingTableIsBoundedAndOneNeighbourGetsOnlyItsShare() {
        linkAll();
        NodeId d = node(4);
        NodeId e = node(5);
        tree.linkUp(d);
        tree.linkUp(e);
        int n = 0;
        for (NodeId liar : List.of(A, B, C, d, e)) {
            List<MessageId> many = new ArrayList<>();
            for (int i = 0; i < LazyPushTree.MAX_MISSING_PER_PEER + 100; i++) {
                many.add(mid(n++));
            }
            for (int i = 0; i < many.size(); i += 500) {
                tree.control(liar, new Frame.IHave(many.subList(i, Math.min(many.size(), i + 500))));
            }
        }
        links.runtime.advance(500);
        java.util.Map<NodeId, Integer> asked = new java.util.HashMap<>();
        for (Sent s : links.controls) {
            asked.merge(s.to(), ((Frame.Graft) s.frame()).ids().size(), Integer::sum);
        }
        assertEquals(LazyPushTree.MAX_MISSING_PER_PEER, asked.get(A), "A's share");
        assertEquals(LazyPushTree.MAX_MISSING, asked.values().stream().mapToInt(Integer::intValue).sum(),
                "the table's bound");
        assertEquals(null, asked.get(e), "the table was full before e's turn");
    }

    @Test
    void keptMessagesAreBoundedByCount() {
        linkAll();
        for (int i = 0; i < LazyPushTree.MAX_KEPT + 10; i++) {
            tree.spread(envelope(i), mid(i), A);
        }
        links.clear();
        tree.control(B, new Frame.Graft(List.of(mid(0), mid(LazyPushTree.MAX_KEPT + 9))));
        assertEquals(1, links.pushes.size(), "the oldest was forgotten, the newest kept");
    }

    @Test
    void keptMessagesAreForgottenOnceNoAnnouncerCanStillBeAsked() {
        linkAll();
        tree.spread(envelope(1), mid(1), A);
        links.runtime.advance(20 + 5 * 500 + 1); // announce delay + (4 announcers + 1) graft timeouts
        tree.spread(envelope(2), mid(2), A);
        links.clear();
        tree.control(B, new Frame.Graft(List.of(mid(1), mid(2))));
        assertEquals(List.of(B), links.pushes, "only the recent message is kept");
    }

    @Test
    void aLeafKeepsNothing() {
        tree.linkUp(A);
        links.neighbours.add(A);
        tree.spread(envelope(1), mid(1), A);
        tree.control(A, new Frame.Graft(List.of(mid(1))));
        assertTrue(links.pushes.isEmpty());
    }

    record Sent(NodeId to, Frame frame) {
    }

    /** A node stand-in that records what the tree sends. */
    private static final class FakeLinks implements GossipLinks {
        final ManualRuntime runtime = new ManualRuntime();
        final Codec codec = new BinaryCodec(FrameLimits.defaults());
        final List<NodeId> neighbours = new ArrayList<>();
        final List<NodeId> pushes = new ArrayList<>();
        final List<Sent> controls = new ArrayList<>();
        final Set<MessageId> known = new HashSet<>();
        final Set<MessageId> pending = new HashSet<>();
        final List<NodeId> broken = new ArrayList<>();

        List<NodeId> pushedTo() {
            return pushes;
        }

        List<String> controlNames() {
            return controls.stream().map(s -> s.frame().kind() + "->" + s.to().shortForm()).toList();
        }

        void clear() {
            pushes.clear();
            controls.clear();
        }

        @Override
        public NodeRuntime runtime() {
            return runtime;
        }

        @Override
        public Codec codec() {
            return codec;
        }

        @Override
        public Collection<NodeId> neighbours() {
            return neighbours;
        }

        @Override
        public boolean push(NodeId neighbour, byte[] publishFrame) {
            pushes.add(neighbour);
            return true;
        }

        @Override
        public void brokenPromise(NodeId neighbour) {
            broken.add(neighbour);
        }

        @Override
        public boolean send(NodeId neighbour, Frame frame) {
            controls.add(new Sent(neighbour, frame));
            return true;
        }

        @Override
        public int maxIdsPerFrame() {
            return 512;
        }

        @Override
        public boolean delivered(MessageId id) {
            return known.contains(id);
        }

        @Override
        public boolean pending(MessageId id) {
            return pending.contains(id);
        }
    }
}
