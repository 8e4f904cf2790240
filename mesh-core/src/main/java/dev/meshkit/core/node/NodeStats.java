package dev.meshkit.core.node;

import dev.meshkit.api.MeshStats;
import java.util.concurrent.atomic.AtomicLong;

/** The live counters behind {@link MeshStats}; written on the event loop and decoder threads. */
final class NodeStats {
    final AtomicLong published = new AtomicLong();
    final AtomicLong delivered = new AtomicLong();
    final AtomicLong forwarded = new AtomicLong();
    final AtomicLong duplicates = new AtomicLong();
    final AtomicLong badFrames = new AtomicLong();
    final AtomicLong badSignatures = new AtomicLong();
    final AtomicLong dropped = new AtomicLong();
    final AtomicLong slowConsumers = new AtomicLong();
    final AtomicLong refusedByPolicy = new AtomicLong();
    final AtomicLong undeliverable = new AtomicLong();
    final AtomicLong stale = new AtomicLong();
    final AtomicLong replays = new AtomicLong();
    final AtomicLong rateLimited = new AtomicLong();
    final AtomicLong refusedEndpoints = new AtomicLong();

    MeshStats snapshot() {
        return new MeshStats(published.get(), delivered.get(), forwarded.get(), duplicates.get(), badFrames.get(),
                badSignatures.get(), dropped.get(), slowConsumers.get(), refusedByPolicy.get(),
                undeliverable.get(), stale.get(), replays.get(), rateLimited.get(), refusedEndpoints.get());
    }
}
