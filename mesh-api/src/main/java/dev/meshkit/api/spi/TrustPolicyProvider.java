package dev.meshkit.api.spi;

/** Makes the {@link TrustPolicy} of a node. */
public interface TrustPolicyProvider {
    /** Stable name, e.g. {@code open}. */
    String name();

    /** Higher wins when the builder names no policy. */
    default int priority() {
        return 0;
    }

    /** A policy for one node. */
    TrustPolicy create();
}
