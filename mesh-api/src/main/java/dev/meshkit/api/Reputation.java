package dev.meshkit.api;

/** What a node thinks of a peer, from its {@link PeerScore}; it decays back to {@link #NORMAL}. */
public enum Reputation {
    /** Has delivered useful messages and done nothing wrong lately. */
    TRUSTED,
    /** Nothing known either way. */
    NORMAL,
    /** Below the gossip threshold: gets no announcements, its announcements are ignored. */
    SUSPICIOUS,
    /** Below the disconnect threshold, or banned: disconnected and refused. */
    BANNED
}
