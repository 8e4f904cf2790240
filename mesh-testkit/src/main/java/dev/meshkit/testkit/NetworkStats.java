package dev.meshkit.testkit;

/**
 * Traffic counters of a {@link SimNetwork}, for benchmarks and assertions. A snapshot: later traffic
 * does not change it.
 *
 * <p>For the whole network, every frame sent is eventually delivered or dropped, so
 * {@code framesSent == framesDelivered + framesDropped + framesInFlight()}. For one node, "sent" and
 * "dropped" count frames the node sent, while "delivered" counts frames delivered <em>to</em> it.
 *
 * @param framesSent        frames accepted by {@code Connection.send}
 * @param bytesSent         their bytes
 * @param framesDelivered   frames handed to a handler's {@code onFrame}
 * @param bytesDelivered    their bytes
 * @param framesDropped     frames lost: by random loss, to a partition, because the receiving end
 *                          was closed by the time they arrived, or because they exceeded the
 *                          receiver's frame limit
 * @param bytesDropped      their bytes
 * @param connectionsOpened connection ends opened (a connection has two, one per node)
 * @param dialsFailed       dials that completed exceptionally
 */
public record NetworkStats(
        long framesSent,
        long bytesSent,
        long framesDelivered,
        long bytesDelivered,
        long framesDropped,
        long bytesDropped,
        long connectionsOpened,
        long dialsFailed) {

    /** All zero. */
    public static final NetworkStats ZERO = new NetworkStats(0, 0, 0, 0, 0, 0, 0, 0);

    /** Frames sent but neither delivered nor dropped yet; meaningful for network totals only. */
    public long framesInFlight() {
        return framesSent - framesDelivered - framesDropped;
    }

    /** Fraction of sent frames that were dropped, 0 if none were sent. */
    public double dropRate() {
        return framesSent == 0 ? 0 : (double) framesDropped / framesSent;
    }
}
