package dev.meshkit.api;

/**
 * A node's counters since it started, for monitoring and tests.
 *
 * @param published       messages this node originated
 * @param delivered       messages delivered to this node's handlers
 * @param forwarded       message copies sent on to neighbours
 * @param duplicates      copies dropped because the message was already seen
 * @param badFrames       frames that failed to decode or were not allowed in their state
 * @param badSignatures   messages dropped because their signature or origin did not verify
 * @param dropped         messages dropped because a bounded queue was full
 * @param slowConsumers   neighbours disconnected because they did not keep up
 * @param refusedByPolicy messages the trust policy refused
 * @param undeliverable   addressed messages that reached a node that could not deliver or relay them
 * @param stale           messages dropped because their timestamp was outside the accepted window
 * @param replays         messages dropped because their origin had already used their sequence number
 * @param rateLimited     connections, handshakes, frames and messages refused by a rate limit or a ban
 * @param refusedEndpoints endpoints peers told of that this node will not dial: more local than the
 *                        peer itself, or addresses of no single host
 */
public record MeshStats(long published, long delivered, long forwarded, long duplicates, long badFrames,
                        long badSignatures, long dropped, long slowConsumers, long refusedByPolicy,
                        long undeliverable, long stale, long replays, long rateLimited,
                        long refusedEndpoints) {
}
