package dev.meshkit.api.spi;

import dev.meshkit.api.wire.FrameLimits;

/** Makes {@link Codec}s of one encoding. Both ends of a link must use the same encoding. */
public interface CodecProvider {
    /** Stable name, e.g. {@code json}. */
    String name();

    /** Higher wins when the builder names no codec. */
    default int priority() {
        return 0;
    }

    /** A codec enforcing {@code limits}. */
    Codec create(FrameLimits limits);
}
