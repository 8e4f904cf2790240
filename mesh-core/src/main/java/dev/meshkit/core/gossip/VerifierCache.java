package dev.meshkit.core.gossip;

import dev.meshkit.api.NodeId;
import dev.meshkit.api.spi.IdentityScheme;
import dev.meshkit.api.spi.Verifier;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Parsed public keys by node id, least recently used first out. Parsing a key costs far more than
 * a look-up, and most messages come from a few origins. A cached key is used only for an envelope
 * that carries the same key bytes: every node then gives an envelope the same verdict, whatever it
 * has cached, so a relay that checked a message never passes on one its neighbour would refuse.
 * Thread-safe: used by the worker pool.
 */
public final class VerifierCache {
    private static final Verifier REJECT_ALL = (data, signature) -> false;

    private final IdentityScheme scheme;
    private final Map<NodeId, Parsed> cache;

    /** A key as it came, and its verifier. */
    private record Parsed(byte[] publicKey, Verifier verifier) {
    }

    /** Creates an empty cache holding at most {@code capacity} keys. */
    public VerifierCache(IdentityScheme scheme, int capacity) {
        this.scheme = scheme;
        this.cache = new LinkedHashMap<>(256, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<NodeId, Parsed> eldest) {
                return size() > capacity;
            }
        };
    }

    /**
     * A verifier for {@code origin}'s key. The key must hash to the id: otherwise, and for a
     * malformed key, the result rejects every signature.
     */
    public Verifier forOrigin(NodeId origin, byte[] publicKey) {
        synchronized (cache) {
            Parsed p = cache.get(origin);
            if (p != null) {
                return Arrays.equals(p.publicKey(), publicKey) ? p.verifier() : REJECT_ALL;
            }
        }
        if (!NodeId.ofPublicKey(publicKey).equals(origin)) {
            return REJECT_ALL;
        }
        Verifier v;
        try {
            v = scheme.verifier(publicKey);
        } catch (IllegalArgumentException e) {
            return REJECT_ALL;
        }
        synchronized (cache) {
            cache.put(origin, new Parsed(publicKey.clone(), v));
        }
        return v;
    }
}
