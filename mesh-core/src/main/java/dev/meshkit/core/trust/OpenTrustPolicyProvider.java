package dev.meshkit.core.trust;

import dev.meshkit.api.spi.TrustPolicy;
import dev.meshkit.api.spi.TrustPolicyProvider;

/**
 * Admits every peer that completes the handshake (right network, proven key). The handshake itself
 * is the admission control; stricter policies replace this one by priority or by the builder.
 */
public final class OpenTrustPolicyProvider implements TrustPolicyProvider {
    @Override
    public String name() {
        return "open";
    }

    @Override
    public int priority() {
        return -100;
    }

    @Override
    public TrustPolicy create() {
        return new TrustPolicy() {
        };
    }
}
