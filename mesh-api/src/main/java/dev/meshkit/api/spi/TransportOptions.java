package dev.meshkit.api.spi;

/**
 * Limits every transport applies to its connections.
 *
 * @param maxFrameBytes    a larger inbound frame closes the connection with code 1009
 * @param maxQueuedBytes   outbound bytes queued per connection before {@link Connection#send} refuses
 * @param connectTimeoutMillis how long a dial may take
 */
public record TransportOptions(int maxFrameBytes, long maxQueuedBytes, long connectTimeoutMillis) {
    /** Checks the bounds. */
    public TransportOptions {
        if (maxFrameBytes <= 0 || maxQueuedBytes <= 0 || connectTimeoutMillis <= 0) {
            throw new IllegalArgumentException("transport options must be positive");
        }
    }

    /** 1 MiB frames, 8 MiB queued per connection, 5 s to connect. */
    public static TransportOptions defaults() {
        // A little above the largest frame (1 MiB), for the 29 bytes an encrypted record adds.
        return new TransportOptions((1 << 20) + 1024, 8L << 20, 5_000);
    }
}
