package dev.meshkit.core.codec;

import dev.meshkit.api.MessageId;
import dev.meshkit.api.spi.Codec;
import dev.meshkit.api.wire.Frame;
import dev.meshkit.api.wire.FrameDecodeException;
import dev.meshkit.api.wire.FrameLimits;
import java.util.Objects;

/**
 * MeshKit's JSON wire format: one UTF-8 JSON object per frame, whose first member {@code "k"} names the
 * frame kind. The full format is in {@code docs/protocol.md}.
 *
 * <p>Decoding checks the overall and per-kind size limits against the raw bytes before it parses
 * anything, then enforces depth, array, string and payload limits while streaming through the JSON, so
 * hostile input costs at most one pass over a frame that already fits its limit. It throws nothing but
 * {@link FrameDecodeException}. Encoding throws {@link IllegalArgumentException} for a frame that the
 * decoder would refuse, such as one missing a required field or with a ttl outside 0..255.
 *
 * <p>Stateless apart from its limits, so one instance serves every link and thread.
 */
public final class JsonCodec implements Codec {
    private static final byte[] PUBLISH_PREFIX = ("{\"" + Wire.K + "\":\"" + Wire.PUBLISH + "\",\""
            + Wire.MESSAGE_ID + "\":\"").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private final FrameLimits limits;

    /**
     * A codec enforcing {@code limits} when decoding.
     *
     * @param limits the bounds for decoding
     */
    public JsonCodec(FrameLimits limits) {
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    /**
     * The limits this codec enforces.
     *
     * @return the limits given at construction
     */
    public FrameLimits limits() {
        return limits;
    }

    @Override
    public byte[] encode(Frame frame) {
        return JsonFrameWriter.encode(frame);
    }

    @Override
    public Frame decode(byte[] bytes) throws FrameDecodeException {
        return JsonFrameReader.decode(bytes, limits);
    }

    @Override
    public MessageId peekMessageId(byte[] bytes) {
        // Only the exact prefix this codec writes is recognised; anything else is left to decode().
        if (bytes.length < PUBLISH_PREFIX.length + MessageId.BYTES * 2 + 1) {
            return null;
        }
        for (int i = 0; i < PUBLISH_PREFIX.length; i++) {
            if (bytes[i] != PUBLISH_PREFIX[i]) {
                return null;
            }
        }
        int end = PUBLISH_PREFIX.length + MessageId.BYTES * 2;
        if (bytes[end] != '"') {
            return null;
        }
        char[] hex = new char[MessageId.BYTES * 2];
        for (int i = 0; i < hex.length; i++) {
            byte b = bytes[PUBLISH_PREFIX.length + i];
            if (!((b >= '0' && b <= '9') || (b >= 'a' && b <= 'f'))) {
                return null;
            }
            hex[i] = (char) b;
        }
        return MessageId.parse(new String(hex));
    }

    @Override
    public String toString() {
        return "JsonCodec" + limits;
    }
}
