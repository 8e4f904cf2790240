package dev.meshkit.core.gossip;

import dev.meshkit.api.GossipSettings;
import dev.meshkit.api.MessageId;
import dev.meshkit.api.NodeId;
import dev.meshkit.api.spi.Cancellable;
import dev.meshkit.api.wire.Envelope;
import dev.meshkit.api.wire.Frame;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Eager push down a tree, lazy announcements everywhere else, in the manner of Plumtree (Leitão,
 * Pereira, Rodrigues 2007).
 *
 * <p>There is one tree per origin. For each origin, every link starts eager: its messages are pushed
 * on it. A node that receives a copy of a message it already has tells the sender to prune that link
 * for that origin; from then on the link only carries the ids of that origin's messages, a batch
 * every {@code announceDelay}. What stays eager converges to the tree of first arrivals from the
 * origin, so each node receives about one payload copy per message instead of one per link, along
 * the fastest paths. When a tree breaks (a lost link, a crashed node), some node hears announcements
 * of a message it lacks; after {@code graftTimeout} it asks an announcer for it with a graft, which
 * also makes that link eager again for the message's origin and so mends the tree. A node keeps the
 * messages it passed on for a while to answer grafts.
 *
 * <p>Why per origin: one tree shared by all origins (as in the paper) is cut to pieces when messages
 * from several origins are in flight at once, since a link that is redundant for one origin is the
 * shortest path for another; the pieces then live on grafts. Measured in the simulator with 5
 * origins sending in bursts, the shared tree sent 1.7 payload copies per delivery and stayed broken;
 * per-origin trees settle. The price is state per origin: {@link #MAX_ORIGINS} origins are tracked,
 * least recently heard first out, and a forgotten origin's next message is flooded once.
 *
 * <p>Every table is bounded: announcements per link by the frame size, origins, missing messages,
 * their announcers and the kept messages by count, the kept messages by bytes and age too
 * (long enough for every announcer to be asked, about 2.6 s by default).
 */
final class LazyPushTree implements Dissemination {
    private static final Logger LOG = LoggerFactory.getLogger(LazyPushTree.class);

    static final int MAX_ORIGINS = 1024;
    static final int MAX_MISSING = 16_384;
    /** One neighbour's share of the missing table, so a liar cannot block repairs for everyone. */
    static final int MAX_MISSING_PER_PEER = MAX_MISSING / 4;
    static final int MAX_ANNOUNCERS = 4;
    static final int MAX_KEPT = 8_192;
    static final long MAX_KEPT_BYTES = 16L << 20;

    private final GossipLinks links;
    private final long announceDelay;
    private final long graftTimeout;
    private final int idsPerFrame;
    /**
     * How long a passed-on message is kept: long enough for the last announcer to be asked. Kept
     * messages are live heap the collector must trace, so no longer.
     */
    private final long keptMillis;

    private final Map<NodeId, Link> peers = new LinkedHashMap<>();
    /** Per origin, the neighbours that only get announcements of its messages; least recent first. */
    private final LinkedHashMap<NodeId, Set<NodeId>> lazy = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<NodeId, Set<NodeId>> eldest) {
            return size() > MAX_ORIGINS;
        }
    };
    private final Map<MessageId, Missing> missing = new LinkedHashMap<>();
    private final Map<NodeId, Integer> missingBy = new HashMap<>();
    private final Map<MessageId, Kept> kept = new LinkedHashMap<>();
    private long keptBytes;
    private long missingOverflow;
    private Cancellable announceTimer;
    private Cancellable missingTimer;

    /** One neighbour's ids waiting to be announced, and when each origin was last pruned on it. */
    private static final class Link {
        final List<MessageId> announce = new ArrayList<>();
        final LinkedHashMap<NodeId, Long> prunedAt = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<NodeId, Long> eldest) {
                return size() > MAX_ORIGINS;
            }
        };
    }

    /** A message announced to this node and not received yet. */
    private static final class Missing {
        final ArrayDeque<NodeId> announcers = new ArrayDeque<>(MAX_ANNOUNCERS);
        /** Who announced it first: the entry counts against that neighbour's share. */
        final NodeId first;
        /** The announcer last asked with a graft, who has until {@link #due} to deliver. */
        NodeId asked;
        long due;

        Missing(NodeId first, long due) {
            this.first = first;
            this.due = due;
        }
    }

    /** A message kept to answer grafts: the envelope as it was passed on. */
    private record Kept(Envelope envelope, long at) {
        int bytes() {
            return envelope.payload().length + 256;
        }
    }

    LazyPushTree(GossipSettings settings, GossipLinks links) {
        this.links = links;
        this.announceDelay = settings.announceDelay().toMillis();
        this.graftTimeout = settings.graftTimeout().toMillis();
        this.idsPerFrame = links.maxIdsPerFrame();
        this.keptMillis = announceDelay + (MAX_ANNOUNCERS + 1) * graftTimeout;
    }

    @Override
    public void linkUp(NodeId peer) {
        peers.put(peer, new Link());
    }

    @Override
    public void linkDown(NodeId peer) {
        // Its unsent announcements go with it, and its own announcements are skipped later.
        peers.remove(peer);
        lazy.values().forEach(set -> set.remove(peer));
    }

    private Set<NodeId> lazyFor(NodeId origin) {
        return lazy.computeIfAbsent(origin, o -> new HashSet<>());
    }

    @Override
    public void spread(Envelope envelope, MessageId id, NodeId from) {
        forget(missing.remove(id));
        if (peers.size() > (from == null ? 0 : 1)) {
            keep(id, envelope); // a leaf has nobody to answer
        }
        Set<NodeId> lazyPeers = lazyFor(envelope.origin());
        if (from != null) {
            // It pushed to us, so its end of the link is eager for this origin: make ours so too.
            lazyPeers.remove(from);
        }
        byte[] frame = null;
        for (Map.Entry<NodeId, Link> e : peers.entrySet()) {
            NodeId n = e.getKey();
            if (n.equals(from) || n.equals(envelope.origin())) {
                continue;
            }
            if (lazyPeers.contains(n)) {
                announce(n, e.getValue(), id);
            } else {
                if (frame == null) {
                    frame = links.codec().encode(new Frame.Publish(envelope, id));
                }
                links.push(n, frame);
            }
        }
    }

    private void announce(NodeId n, Link link, MessageId id) {
        link.announce.add(id);
        if (link.announce.size() >= idsPerFrame) {
            flush(n, link);
        } else if (announceTimer == null) {
            announceTimer = links.runtime().schedule(announceDelay, this::flushAnnouncements);
        }
    }

    private void flushAnnouncements() {
        announceTimer = null;
        peers.forEach(this::flush);
    }

    private void flush(NodeId n, Link link) {
        if (!link.announce.isEmpty()) {
            links.send(n, new Frame.IHave(link.announce));
            link.announce.clear();
        }
    }

    @Override
    public void duplicate(NodeId from, MessageId id, NodeId origin) {
        Link link = peers.get(from);
        if (link == null) {
            return;
        }
        if (origin == null) {
            Kept k = kept.get(id);
            if (k == null) {
                return; // only the id is known, and the message was not kept: no origin to prune
            }
            origin = k.envelope().origin();
        }
        lazyFor(origin).add(from);
        // Prune on every duplicate, not only when this end's state changes: the other end may
        // have turned eager again (a push crossed our prune, or it forgot the origin), and only a
        // new prune tells it. At most one per origin and link per announce period.
        long now = links.runtime().monotonicMillis();
        Long last = link.prunedAt.get(origin);
        if (last == null || now - last >= announceDelay) {
            link.prunedAt.put(origin, now);
            links.send(from, new Frame.Prune(List.of(origin)));
        }
    }

    @Override
    public boolean wantsDuplicates() {
        return true;
    }

    @Override
    public void control(NodeId from, Frame frame) {
        if (!peers.containsKey(from)) {
            return;
        }
        if (frame instanceof Frame.IHave h) {
            announced(from, h.ids());
        } else if (frame instanceof Frame.Graft g) {
            for (MessageId id : g.ids()) {
                Kept k = kept.get(id);
                if (k != null) {
                    lazyFor(k.envelope().origin()).remove(from);
                    links.push(from, links.codec().encode(new Frame.Publish(k.envelope(), id)));
                }
            }
        } else if (frame instanceof Frame.Prune p) {
            for (NodeId origin : p.origins()) {
                lazyFor(origin).add(from);
            }
        }
    }

    private void announced(NodeId from, List<MessageId> ids) {
        long due = links.runtime().monotonicMillis() + graftTimeout;
        for (MessageId id : ids) {
            // A copy being verified does not count: if it fails, this announcement is the way back.
            if (links.delivered(id)) {
                continue;
            }
            Missing m = missing.get(id);
            if (m == null) {
                if (missing.size() >= MAX_MISSING || missingBy.getOrDefault(from, 0) >= MAX_MISSING_PER_PEER) {
                    if (Long.bitCount(++missingOverflow) == 1) {
                        LOG.warn("too many announced messages are missing ({} in all, {} from {}); ignoring further"
                                + " announcements ({} so far)", missing.size(), missingBy.get(from), from.shortForm(),
                                missingOverflow);
                    }
                    continue;
                }
                m = new Missing(from, due);
                missing.put(id, m);
                missingBy.merge(from, 1, Integer::sum);
            }
            if (m.announcers.size() < MAX_ANNOUNCERS && !m.announcers.contains(from)) {
                m.announcers.add(from);
            }
        }
        if (!missing.isEmpty() && missingTimer == null) {
            missingTimer = links.runtime().schedule(Math.max(1, graftTimeout / 2), this::graftMissing);
        }
    }

    // Asks for every message that stayed missing past its due time, one graft per announcer.
    private void graftMissing() {
        missingTimer = null;
        long now = links.runtime().monotonicMillis();
        Map<NodeId, List<MessageId>> asks = new LinkedHashMap<>();
        for (Iterator<Map.Entry<MessageId, Missing>> it = missing.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<MessageId, Missing> e = it.next();
            Missing m = e.getValue();
            if (links.delivered(e.getKey())) {
                it.remove();
                forget(m);
                continue;
            }
            if (m.due > now) {
                continue;
            }
            if (links.pending(e.getKey())) {
                m.due = now + graftTimeout; // a copy is being checked: ask only if it fails
                continue;
            }
            if (m.asked != null && peers.containsKey(m.asked)) {
                links.brokenPromise(m.asked);
            }
            NodeId ask = null;
            while (ask == null && !m.announcers.isEmpty()) {
                NodeId a = m.announcers.poll();
                if (peers.containsKey(a)) {
                    ask = a;
                }
            }
            if (ask == null) {
                it.remove();
                forget(m);
                LOG.debug("message {} was announced but no announcer is left to ask", e.getKey());
                continue;
            }
            asks.computeIfAbsent(ask, k -> new ArrayList<>()).add(e.getKey());
            m.asked = ask;
            m.due = now + graftTimeout; // ask the next announcer if this one does not deliver
        }
        // The link becomes eager for the message's origin when the answer arrives (see spread).
        asks.forEach((peer, ids) -> {
            for (int i = 0; i < ids.size(); i += idsPerFrame) {
                links.send(peer, new Frame.Graft(ids.subList(i, Math.min(ids.size(), i + idsPerFrame))));
            }
        });
        if (!missing.isEmpty()) {
            missingTimer = links.runtime().schedule(Math.max(1, graftTimeout / 2), this::graftMissing);
        }
    }

    private void forget(Missing m) {
        if (m != null) {
            missingBy.computeIfPresent(m.first, (k, n) -> n > 1 ? n - 1 : null);
        }
    }

    private void keep(MessageId id, Envelope envelope) {
        long now = links.runtime().monotonicMillis();
        Kept k = new Kept(envelope, now);
        Kept replaced = kept.put(id, k);
        keptBytes += k.bytes() - (replaced == null ? 0 : replaced.bytes());
        for (Iterator<Kept> it = kept.values().iterator(); it.hasNext(); ) {
            Kept oldest = it.next();
            if (kept.size() <= MAX_KEPT && keptBytes <= MAX_KEPT_BYTES && now - oldest.at() <= keptMillis) {
                break;
            }
            it.remove();
            keptBytes -= oldest.bytes();
        }
    }

    @Override
    public void close() {
        if (announceTimer != null) {
            announceTimer.cancel();
        }
        if (missingTimer != null) {
            missingTimer.cancel();
        }
    }
}
