package dev.meshkit.api.spi;

import dev.meshkit.api.wire.Frame;
import dev.meshkit.api.wire.FrameDecodeException;

/** Turns frames into bytes and back, enforcing its {@link dev.meshkit.api.wire.FrameLimits}. Thread-safe. */
public interface Codec {
    /** The encoding of {@code frame}. */
    byte[] encode(Frame frame);

    /** The frame in {@code bytes}; never allocates beyond the limits for bad input. */
    Frame decode(byte[] bytes) throws FrameDecodeException;

    /**
     * The message id hint of a publish frame, read without decoding the frame, or {@code null} when
     * the frame is not a publish frame, carries no hint, or cannot be read cheaply. Must be much
     * cheaper than {@link #decode} and never throw: it runs for every copy of every message.
     */
    default dev.meshkit.api.MessageId peekMessageId(byte[] bytes) {
        return null;
    }
}
