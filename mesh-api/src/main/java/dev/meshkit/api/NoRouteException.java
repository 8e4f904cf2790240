package dev.meshkit.api;

/** {@link MeshNode#sendTo} has no way to reach the destination. */
public final class NoRouteException extends MeshException {
    private static final long serialVersionUID = 1L;
    private final NodeId destination;

    /** Creates the error for {@code destination}. */
    public NoRouteException(NodeId destination, String detail) {
        super(ErrorCode.NO_ROUTE, "no route to " + destination.shortForm() + ": " + detail);
        this.destination = destination;
    }

    /** The node that could not be reached. */
    public NodeId destination() {
        return destination;
    }
}
