package dev.meshkit.api.spi;

/** A running source of peer candidates, such as LAN broadcast or crawled web beacons. */
public interface Discovery {
    /** Starts finding peers; called once when the node has started. */
    void start(DiscoveryContext context);

    /** Stops: no call to {@link DiscoveryContext#offer} may follow. */
    void stop();
}
