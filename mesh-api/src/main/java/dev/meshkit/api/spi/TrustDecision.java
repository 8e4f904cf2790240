package dev.meshkit.api.spi;

/**
 * A trust policy's answer.
 *
 * @param allowed true to admit
 * @param reason  why not, when refused; logged and sent to the peer
 */
public record TrustDecision(boolean allowed, String reason) {
    /** Admit. */
    public static final TrustDecision ALLOW = new TrustDecision(true, "");

    /** Refuse for {@code reason}. */
    public static TrustDecision refuse(String reason) {
        return new TrustDecision(false, reason);
    }
}
