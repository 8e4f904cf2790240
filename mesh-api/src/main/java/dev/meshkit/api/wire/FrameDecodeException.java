package dev.meshkit.api.wire;

/**
 * A frame could not be decoded. {@link #problem()} says which rule it broke; the node logs it, drops
 * the frame and keeps the link.
 */
public final class FrameDecodeException extends Exception {
    private static final long serialVersionUID = 1L;

    /** Which rule a bad frame broke. */
    public enum Problem {
        /** Larger than the limit for its kind, or than the overall limit. */
        TOO_LARGE,
        /** Nested deeper than allowed. */
        TOO_DEEP,
        /** An array or string longer than allowed. */
        TOO_LONG,
        /** Not well-formed in the codec's syntax. */
        MALFORMED,
        /** Well-formed, but a field is missing, of the wrong type or out of range. */
        INVALID_FIELD,
        /** A frame kind this node does not know. */
        UNKNOWN_KIND
    }

    private final Problem problem;

    /** Creates the error. */
    public FrameDecodeException(Problem problem, String detail) {
        super(problem + ": " + detail);
        this.problem = problem;
    }

    /** Which rule the frame broke. */
    public Problem problem() {
        return problem;
    }
}
