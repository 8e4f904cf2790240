package dev.meshkit.api;

/** An endpoint text that cannot be used: bad syntax, unknown scheme form, or a port out of range. */
public final class InvalidEndpointException extends MeshException {
    private static final long serialVersionUID = 1L;

    /** Creates the error for {@code text}, saying what is wrong with it. */
    public InvalidEndpointException(String text, String problem) {
        super(ErrorCode.INVALID_ENDPOINT, "invalid endpoint '" + text + "': " + problem);
    }
}
