package dev.meshkit.testkit.scenario;

import java.util.Arrays;

/**
 * What became of a batch of broadcasts across a simulated mesh.
 *
 * @param messages       broadcasts sent
 * @param expected       deliveries owed: each message to every node but its origin
 * @param delivered      first deliveries made
 * @param duplicates     deliveries of a message a node had already delivered
 * @param payloadSends   payload-carrying frames sent by all nodes (origins and relays) meanwhile
 * @param latencyMillis  first-delivery latencies in virtual milliseconds, sorted ascending
 * @param hops           first deliveries by hop count: {@code hops[h]} arrived over h links
 */
public record DeliveryReport(int messages, long expected, long delivered, long duplicates, long payloadSends,
        long[] latencyMillis, long[] hops) {

    /** Copies the arrays, sorting the latencies. */
    public DeliveryReport {
        latencyMillis = latencyMillis.clone();
        Arrays.sort(latencyMillis);
        hops = hops.clone();
    }

    /** Delivered over expected, 1.0 when every node got every message. */
    public double deliveredShare() {
        return expected == 0 ? 1.0 : (double) delivered / expected;
    }

    /** Payload frames sent per first delivery: 1.0 is a perfect spanning tree. */
    public double payloadSendsPerDelivery() {
        return delivered == 0 ? Double.NaN : (double) payloadSends / delivered;
    }

    /** The latency at quantile {@code q} (0..1) by the nearest-rank method, or -1 if nothing arrived. */
    public long latencyQuantile(double q) {
        if (latencyMillis.length == 0) {
            return -1;
        }
        int rank = (int) Math.ceil(q * latencyMillis.length);
        return latencyMillis[Math.max(0, Math.min(latencyMillis.length - 1, rank - 1))];
    }

    @Override
    public long[] latencyMillis() {
        return latencyMillis.clone();
    }

    @Override
    public long[] hops() {
        return hops.clone();
    }

    @Override
    public String toString() {
        return String.format("%d messages: %d of %d delivered (%.4f), %d duplicates, %.2f payload sends per delivery,"
                + " latency p50 %d ms p99 %d ms", messages, delivered, expected, deliveredShare(), duplicates,
                payloadSendsPerDelivery(), latencyQuantile(0.5), latencyQuantile(0.99));
    }
}
