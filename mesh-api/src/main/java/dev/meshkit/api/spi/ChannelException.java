package dev.meshkit.api.spi;

/** A secure channel refused a handshake share or a record; the link must be closed. */
public final class ChannelException extends Exception {
    private static final long serialVersionUID = 1L;

    /** What was wrong. */
    public enum Problem {
        /** A share or record that cannot be parsed. */
        MALFORMED,
        /** A record whose sequence number was already used. */
        REPLAYED,
        /** A record that arrived ahead of others that were sent before it. */
        REORDERED,
        /** A record that fails authentication: altered, or sealed with another key. */
        TAMPERED,
        /** An unencrypted frame where only records may come. */
        PLAINTEXT,
        /** More records waited for the link's keys than the node keeps. */
        OVERFLOW
    }

    private final Problem problem;

    /** Creates the error. */
    public ChannelException(Problem problem, String message) {
        super(message);
        this.problem = problem;
    }

    /** What was wrong. */
    public Problem problem() {
        return problem;
    }
}
