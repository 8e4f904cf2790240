package dev.meshkit.testkit;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.random.RandomGenerator;

/**
 * Latency by region pair: each node belongs to a region (given by a function of its name) and each
 * unordered pair of regions, or a region with itself, has its own {@link LatencyModel}. Models
 * geo-distributed meshes such as "5 ms within a region, 80-120 ms between eu and us". With
 * {@code Function.identity()} as the region function it is a per-node-pair matrix.
 *
 * <p>Pairs are symmetric: the model set for (a, b) also serves (b, a). A pair with no model uses the
 * {@linkplain Builder#otherwise fallback}; with no fallback, sampling it throws, so a forgotten pair
 * is reported instead of silently getting zero latency.
 */
public final class MatrixLatency implements LatencyModel {
    private final Function<String, String> regionOf;
    private final Map<String, Map<String, LatencyModel>> table;
    private final LatencyModel otherwise;

    private MatrixLatency(Builder b) {
        this.regionOf = b.regionOf;
        Map<String, Map<String, LatencyModel>> copy = new HashMap<>();
        b.table.forEach((k, v) -> copy.put(k, Map.copyOf(v)));
        this.table = Map.copyOf(copy);
        this.otherwise = b.otherwise;
    }

    /** Starts a matrix whose regions are given by {@code regionOf} applied to node names. */
    public static Builder builder(Function<String, String> regionOf) {
        return new Builder(regionOf);
    }

    /** The region of node {@code node}. */
    public String regionOf(String node) {
        return regionOf.apply(node);
    }

    /**
     * The model between two regions.
     *
     * @throws IllegalStateException if the pair has no model and there is no fallback
     */
    public LatencyModel between(String regionA, String regionB) {
        Map<String, LatencyModel> row = table.get(regionA);
        LatencyModel m = row == null ? null : row.get(regionB);
        if (m == null) {
            m = otherwise;
        }
        if (m == null) {
            throw new IllegalStateException("no latency between regions " + regionA + " and " + regionB);
        }
        return m;
    }

    @Override
    public long sampleMillis(String from, String to, RandomGenerator random) {
        return between(regionOf(from), regionOf(to)).sampleMillis(from, to, random);
    }

    /** Collects the region pairs of a {@link MatrixLatency}. */
    public static final class Builder {
        private final Function<String, String> regionOf;
        private final Map<String, Map<String, LatencyModel>> table = new HashMap<>();
        private LatencyModel otherwise;

        private Builder(Function<String, String> regionOf) {
            this.regionOf = Objects.requireNonNull(regionOf, "regionOf");
        }

        /** Latency between two nodes of {@code region}. */
        public Builder within(String region, LatencyModel model) {
            return between(region, region, model);
        }

        /** Latency between nodes of {@code regionA} and nodes of {@code regionB}, both ways. */
        public Builder between(String regionA, String regionB, LatencyModel model) {
            Objects.requireNonNull(model, "model");
            table.computeIfAbsent(regionA, k -> new HashMap<>()).put(regionB, model);
            table.computeIfAbsent(regionB, k -> new HashMap<>()).put(regionA, model);
            return this;
        }

        /** Latency for every pair not given explicitly. */
        public Builder otherwise(LatencyModel model) {
            this.otherwise = Objects.requireNonNull(model, "model");
            return this;
        }

        /** The matrix. */
        public MatrixLatency build() {
            return new MatrixLatency(this);
        }
    }
}
