package dev.meshkit.api.spi;

/** Makes a {@link Discovery} for each node that enables it. */
public interface DiscoveryProvider {
    /** Stable name, e.g. {@code lan}. */
    String name();

    /** A new, not yet started discovery for one node. */
    Discovery create();
}
