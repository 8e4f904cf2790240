package dev.meshkit.core.peers;

import dev.meshkit.api.Backoff;
import dev.meshkit.api.Endpoint;
import dev.meshkit.api.NodeId;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;

/**
 * Endpoints this node knows but is not necessarily connected to, with their dial history.
 *
 * <p>Hygiene rules live here so every source of endpoints (seeds, welcome, peer lists, discovery)
 * gets them: this node's own endpoints are never kept, the book holds at most {@code capacity}
 * entries, and an endpoint that fails {@code backoff.maxAttempts()} dials in a row is forgotten.
 * Between failures an endpoint waits a delay drawn with full jitter. Confined to the event loop.
 */
public final class CandidateBook {
    /** What the book knows of one endpoint. */
    public static final class Candidate {
        private final Endpoint endpoint;
        private NodeId id;
        private String source;
        private int failures;
        private long notBefore;

        Candidate(Endpoint endpoint, NodeId id, String source) {
            this.endpoint = endpoint;
            this.id = id;
            this.source = source;
        }

        /** Where it listens. */
        public Endpoint endpoint() {
            return endpoint;
        }

        /** Its node id, if known. */
        public NodeId id() {
            return id;
        }

        /** Who told this node about it. */
        public String source() {
            return source;
        }

        /** Failed dials in a row. */
        public int failures() {
            return failures;
        }
    }

    private final int capacity;
    private final Backoff backoff;
    private final Predicate<Endpoint> isSelf;
    private final LinkedHashMap<Endpoint, Candidate> entries = new LinkedHashMap<>();

    /**
     * Creates an empty book.
     *
     * @param capacity entries kept at most
     * @param backoff  delays between failed dials, and the failures after which an entry is dropped
     * @param isSelf   true for endpoints that reach this node itself
     */
    public CandidateBook(int capacity, Backoff backoff, Predicate<Endpoint> isSelf) {
        this.capacity = capacity;
        this.backoff = backoff;
        this.isSelf = isSelf;
    }

    /**
     * Adds or refreshes an endpoint. Returns false if it was refused (this node's own) or did not fit.
     * A refresh updates the id but keeps the failure history, so repeating an endpoint cannot reset
     * its backoff.
     */
    public boolean offer(Endpoint endpoint, NodeId id, String source) {
        if (isSelf.test(endpoint)) {
            return false;
        }
        Candidate c = entries.get(endpoint);
        if (c != null) {
            if (id != null) {
                c.id = id;
            }
            return true;
        }
        if (entries.size() >= capacity && !evictOne()) {
            return false;
        }
        entries.put(endpoint, new Candidate(endpoint, id, source));
        return true;
    }

    // Make room by dropping the entry with the most failures, oldest first among equals.
    private boolean evictOne() {
        Candidate worst = null;
        for (Candidate c : entries.values()) {
            if (worst == null || c.failures > worst.failures) {
                worst = c;
            }
        }
        if (worst == null) {
            return false;
        }
        entries.remove(worst.endpoint);
        return true;
    }

    /** Records a successful handshake with the node at {@code endpoint}. */
    public void succeeded(Endpoint endpoint, NodeId id) {
        Candidate c = entries.get(endpoint);
        if (c != null) {
            c.failures = 0;
            c.notBefore = 0;
            c.id = id;
        }
    }

    /**
     * Records a failed dial, or a lost connection that should be re-dialled. Returns the delay before
     * the next attempt, or -1 if the endpoint was forgotten.
     */
    public long failed(Endpoint endpoint, long now, RandomGenerator random) {
        Candidate c = entries.get(endpoint);
        if (c == null) {
            return -1;
        }
        c.failures++;
        if (c.failures >= backoff.maxAttempts()) {
            entries.remove(endpoint);
            return -1;
        }
        long delay = backoff.delayMillis(c.failures - 1, random.nextDouble());
        c.notBefore = now + delay;
        return delay;
    }

    /** Forgets an endpoint, e.g. after its node said goodbye or turned out to be this node. */
    public void forget(Endpoint endpoint) {
        entries.remove(endpoint);
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

    /** Drops every entry with one of {@code endpoints}, e.g. when the node learns its own aliases. */
    public void forgetAll(Set<Endpoint> endpoints) {
        for (Iterator<Map.Entry<Endpoint, Candidate>> it = entries.entrySet().iterator(); it.hasNext(); ) {
            if (endpoints.contains(it.next().getKey())) {
                it.remove();
            }
        }
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
