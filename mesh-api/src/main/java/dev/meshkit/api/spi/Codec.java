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

    /**
     * Packs encoded frames into one transport message, so that a burst of small frames costs one
     * transport message instead of one each; {@code null} if this codec has no bundles, in which case
     * the node sends the frames one by one. The receiver's {@link #unbundle} gives them back in order.
     */
    default byte[] bundle(java.util.List<byte[]> frames) {
        return null;
    }

    /**
     * The encoded frames packed in {@code bytes}, in order, or {@code null} if {@code bytes} is a
     * single frame. Must be cheap to call on every transport message.
     *
     * @throws FrameDecodeException if {@code bytes} is a malformed bundle
     */
    default java.util.List<byte[]> unbundle(byte[] bytes) throws FrameDecodeException {
        return null;
    }
}
