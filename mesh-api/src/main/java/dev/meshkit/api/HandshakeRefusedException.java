package dev.meshkit.api;

/** A connection ended in the handshake; {@link #reason()} says why in machine-readable form. */
public final class HandshakeRefusedException extends MeshException {
    private static final long serialVersionUID = 1L;
    private final RefusalReason reason;

    /** Creates the error. */
    public HandshakeRefusedException(RefusalReason reason, String detail) {
        super(ErrorCode.HANDSHAKE_REFUSED, "handshake refused (" + reason.wireName() + "): " + detail);
        this.reason = reason;
    }

    /** Why the handshake was refused. */
    public RefusalReason reason() {
        return reason;
    }
}
