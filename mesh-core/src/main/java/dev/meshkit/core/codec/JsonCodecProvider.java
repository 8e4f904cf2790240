package dev.meshkit.core.codec;

import dev.meshkit.api.spi.Codec;
import dev.meshkit.api.spi.CodecProvider;
import dev.meshkit.api.wire.FrameLimits;

/** Provides {@link JsonCodec}, the codec every MeshKit node speaks unless configured otherwise. */
public final class JsonCodecProvider implements CodecProvider {
    /** The name the builder and peers use for this encoding. */
    public static final String NAME = "json";

    /** Called by {@link java.util.ServiceLoader}. */
    public JsonCodecProvider() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int priority() {
        return 0;
    }

    @Override
    public Codec create(FrameLimits limits) {
        return new JsonCodec(limits);
    }
}
