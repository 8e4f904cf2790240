package dev.meshkit.core.channel;

import dev.meshkit.api.RefusalReason;

/** The channel part of a handshake cannot go on; the node refuses the peer with this reason. */
public final class SuiteRefusedException extends Exception {
    private static final long serialVersionUID = 1L;
    private final transient RefusalReason reason;

    SuiteRefusedException(RefusalReason reason, String detail) {
        super(detail);
        this.reason = reason;
    }

    /** The refusal to send. */
    public RefusalReason reason() {
        return reason;
    }
}
