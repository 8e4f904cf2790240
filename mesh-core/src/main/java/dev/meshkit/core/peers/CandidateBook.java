package dev.meshkit.core.peers;

import dev.meshkit.api.Backoff;
import dev.meshkit.api.Endpoint;
import dev.meshkit.api.NodeId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;

/**
 * Endpoints this node knows but is not necessarily connected to, with their dial history.
 *
 * <p>Hygiene rules live here so every source of endpoints (seeds, welcome, peer lists, discovery,
 * {@code connect()}) gets them: endpoints the node must not dial (its own, schemes without a
 * transport) are refused, the book holds at most {@code capacity} entries, and an endpoint that
 * fails {@code backoff.maxAttempts()} dials in a row is forgotten. Seeds are the exception: they
 * are never forgotten, only retried at the backoff's cap, so a node cut off for a long time still
 * finds its way back. Between failures an endpoint waits a delay drawn with full jitter.
 *
 * <p>A node id is recorded only when this node dialled the endpoint and the handshake proved who
 * answers: ids named by peers are claims anyone can make. Confined to the event loop.
 */
public final class CandidateBook {
    /** Entries one peer's lists may hold at most. */
    public static final int MAX_PER_SOURCE = 32;

    /** What the book knows of one endpoint. */
    public static final class Candidate {
        private final Endpoint endpoint;
        private final String source;
        private final boolean seed;
        private final boolean learned;
        private NodeId verifiedId;
        private int failures;
        private long notBefore;

        Candidate(Endpoint endpoint, String source, boolean seed, boolean learned) {
            this.endpoint = endpoint;
            this.source = source;
            this.seed = seed;
            this.learned = learned;
        }

        /** Where it listens. */
        public Endpoint endpoint() {
            return endpoint;
        }

        /** The id a handshake proved at this endpoint, or null. */
        public NodeId verifiedId() {
            return verifiedId;
        }

        /** Who told this node about it. */
        public String source() {
            return source;
        }

        /** True if a peer told of it, rather than the application, a discovery or a past link. */
        public boolean learned() {
            return learned;
        }

        /** Failed dials in a row. */
        public int failures() {
            return failures;
        }
    }

    private final int capacity;
    private final Backoff backoff;
    private final Predicate<Endpoint> refused;
    private final LinkedHashMap<Endpoint, Candidate> entries = new LinkedHashMap<>();
    /** Learned entries per source, for {@link #offerLearned}'s cap. */
    private final Map<String, Integer> perSource = new HashMap<>();

    /**
     * Creates an empty book.
     *
     * @param capacity entries kept at most
     * @param backoff  delays between failed dials, and the failures after which an entry is dropped
     * @param refused  true for endpoints never to keep (this node's own, unsupported schemes)
     */
    public CandidateBook(int capacity, Backoff backoff, Predicate<Endpoint> refused) {
        this.capacity = capacity;
        this.backoff = backoff;
        this.refused = refused;
    }

    /**
     * Adds an endpoint if new. Returns false if it was refused or did not fit. Offering a known
     * endpoint again changes nothing, so repeating it cannot reset its backoff.
     */
    public boolean offer(Endpoint endpoint, String source) {
        return add(endpoint, source, false, false);
    }

    /**
     * Adds an endpoint a peer told of, as {@link #offer} does, unless that peer already has
     * {@value #MAX_PER_SOURCE} entries: one peer's lists cannot fill the book.
     */
    public boolean offerLearned(Endpoint endpoint, String source) {
        if (!entries.containsKey(endpoint) && perSource.getOrDefault(source, 0) >= MAX_PER_SOURCE) {
            return false;
        }
        return add(endpoint, source, false, true);
    }

    /** Adds an endpoint the node was configured with; it is never forgotten. */
    public boolean offerSeed(Endpoint endpoint) {
        return add(endpoint, "seed", true, false);
    }

    private boolean add(Endpoint endpoint, String source, boolean seed, boolean learned) {
        if (entries.containsKey(endpoint)) {
            return true;
        }
        if (refused.test(endpoint)) {
            return false;
        }
        if (entries.size() >= capacity && !evictOldestNonSeed()) {
            return false;
        }
        Candidate c = new Candidate(endpoint, source, seed, learned);
        entries.put(endpoint, c);
        if (learned) {
            perSource.merge(source, 1, Integer::sum);
        }
        return true;
    }

    private boolean evictOldestNonSeed() {
        for (Iterator<Candidate> it = entries.values().iterator(); it.hasNext(); ) {
            Candidate c = it.next();
            if (!c.seed) {
                it.remove();
                removed(c);
                return true;
            }
        }
        return false;
    }

    private void removed(Candidate c) {
        if (c != null && c.learned) {
            perSource.computeIfPresent(c.source, (k, n) -> n > 1 ? n - 1 : null);
        }
    }

    /**
     * Records a handshake that proved {@code id} answers at {@code endpoint}. The failure count is
     * kept: only a link that lasts ({@link #lost}) clears it, so a peer that accepts and then drops
     * every link still runs out of attempts.
     */
    public void verified(Endpoint endpoint, NodeId id) {
        Candidate c = entries.get(endpoint);
        if (c != null) {
            c.verifiedId = id;
        }
    }

    /**
     * Records a failed dial (or a link refused right after its handshake). Returns the delay before
     * the next attempt, or -1 if the endpoint was forgotten.
     */
    public long failed(Endpoint endpoint, long now, RandomGenerator random) {
        Candidate c = entries.get(endpoint);
        if (c == null) {
            return -1;
        }
        c.failures++;
        if (c.failures >= backoff.maxAttempts() && !c.seed) {
            removed(entries.remove(endpoint));
            return -1;
        }
        long delay = backoff.delayMillis(c.failures, random.nextDouble());
        c.notBefore = now + delay;
        return delay;
    }

    /**
     * Records that a working link to {@code endpoint} was lost: the first redial waits a jittered
     * delay of the first backoff step and does not count as a failure.
     */
    public long lost(Endpoint endpoint, long now, RandomGenerator random) {
        Candidate c = entries.get(endpoint);
        if (c == null) {
            return -1;
        }
        c.failures = 0;
        long delay = backoff.delayMillis(0, random.nextDouble());
        c.notBefore = now + delay;
        return delay;
    }

    /** Forgets an endpoint, e.g. after its node said goodbye or belongs to another network. */
    public void forget(Endpoint endpoint) {
        removed(entries.remove(endpoint));
    }

    /**
     * Up to {@code max} endpoints that may be dialled now, skipping those {@code exclude} rejects,
     * in random order so that many nodes do not all pick the same ones.
     */
    public List<Candidate> dialable(long now, int max, Predicate<Candidate> exclude, RandomGenerator random) {
        List<Candidate> ready = new ArrayList<>();
        for (Candidate c : entries.values()) {
            if (c.notBefore <= now && !exclude.test(c)) {
                ready.add(c);
            }
        }
        for (int i = ready.size() - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            Candidate t = ready.get(i);
            ready.set(i, ready.get(j));
            ready.set(j, t);
        }
        return ready.size() <= max ? ready : new ArrayList<>(ready.subList(0, max));
    }

    /** The entry for {@code endpoint}, or null. */
    public Candidate get(Endpoint endpoint) {
        return entries.get(endpoint);
    }

    /** Entries held. */
    public int size() {
        return entries.size();
    }
}
