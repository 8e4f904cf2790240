package dev.meshkit.api;

/**
 * Base of every error MeshKit reports to applications. {@link #code()} says what class of failure it
 * is, so callers can branch without parsing messages.
 */
public class MeshException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final ErrorCode code;

    /** Creates an error of the given class. */
    public MeshException(ErrorCode code, String message) {
        super(message);
        this.code = code;
    }

    /** Creates an error of the given class with its cause. */
    public MeshException(ErrorCode code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    /** The machine-readable class of this error. */
    public ErrorCode code() {
        return code;
    }
}
