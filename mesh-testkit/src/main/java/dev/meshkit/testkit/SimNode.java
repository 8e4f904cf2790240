package dev.meshkit.testkit;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * What a {@link SimNetwork} knows about one node name: its live transports and its traffic counters.
 * Outlives crashes, so counters cover every incarnation of the node.
 */
final class SimNode {
    final String name;
    // Linked so that crash() walks transports, and therefore queues events, in a reproducible order.
    final Set<SimTransport> transports = new LinkedHashSet<>();
    final Counters counters = new Counters();

    SimNode(String name) {
        this.name = name;
    }

    /** Mutable counters behind a {@link NetworkStats} snapshot. */
    static final class Counters {
        long framesSent;
        long bytesSent;
        long framesDelivered;
        long bytesDelivered;
        long framesDropped;
        long bytesDropped;
        long connectionsOpened;
        long dialsFailed;

        NetworkStats snapshot() {
            return new NetworkStats(framesSent, bytesSent, framesDelivered, bytesDelivered, framesDropped,
                    bytesDropped, connectionsOpened, dialsFailed);
        }

        void reset() {
            framesSent = 0;
            bytesSent = 0;
            framesDelivered = 0;
            bytesDelivered = 0;
            framesDropped = 0;
            bytesDropped = 0;
            connectionsOpened = 0;
            dialsFailed = 0;
        }
    }
}
