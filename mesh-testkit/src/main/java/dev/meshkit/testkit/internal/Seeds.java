package dev.meshkit.testkit.internal;

/**
 * Derives independent seeds from one simulation seed and a label (a node name, "network#0", ...).
 *
 * <p>Deriving by label instead of drawing seeds from one shared generator means a node's random
 * stream does not depend on how many other nodes were created before it, so adding a node to a
 * scenario does not reshuffle every other node's decisions.
 */
public final class Seeds {
    private Seeds() {
    }

    /** A seed for {@code label} under {@code seed}; stable across JVMs and platforms. */
    public static long derive(long seed, String label) {
        // The label hash is computed by hand over the chars rather than with String.hashCode so that it
        // uses all 64 bits.
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < label.length(); i++) {
            h ^= label.charAt(i);
            h *= 0x100000001b3L;
        }
        return mix(seed ^ mix(h + 0x9e3779b97f4a7c15L));
    }

    /** A strong 64-bit bit mixer, so that near-equal inputs give unrelated outputs. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
