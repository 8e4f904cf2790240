package dev.meshkit.api.spi;

import dev.meshkit.api.wire.Frame;
import dev.meshkit.api.wire.FrameDecodeException;

/** Turns frames into bytes and back, enforcing its {@link dev.meshkit.api.wire.FrameLimits}. Thread-safe. */
public interface Codec {
    /** The encoding of {@code frame}. */
    byte[] encode(Frame frame);

    /** The frame in {@code bytes}; never allocates beyond the limits for bad input. */
    Frame decode(byte[] bytes) throws FrameDecodeException;
}
