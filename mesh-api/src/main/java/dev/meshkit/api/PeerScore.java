package dev.meshkit.api;

/**
 * A peer's score as one node sees it, in the manner of gossipsub v1.1: penalties grow with the square
 * of decaying counters, so an occasional fault costs little and a pattern of them a lot.
 *
 * @param id              the peer
 * @param score           the sum of the weighted parts below
 * @param reputation      the level the score and any ban put the peer at
 * @param connected       true if the peer is a neighbour now
 * @param firstDeliveries messages this peer was first to bring (decaying, capped)
 * @param invalidMessages messages with a bad signature or from a forbidden origin (decaying)
 * @param brokenPromises  announced messages it did not send when asked (decaying)
 * @param behaviour       protocol faults: bad frames, stale or replayed messages, rate-limit breaches
 *                        (decaying)
 * @param colocated       neighbours sharing this peer's IP address, itself included
 */
public record PeerScore(NodeId id, double score, Reputation reputation, boolean connected, double firstDeliveries,
                        double invalidMessages, double brokenPromises, double behaviour, int colocated) {
}
