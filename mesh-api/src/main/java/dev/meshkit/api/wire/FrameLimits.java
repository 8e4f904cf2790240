package dev.meshkit.api.wire;

/**
 * Bounds a codec enforces while decoding, before it allocates for the content.
 *
 * @param maxFrameBytes     any frame, whatever its kind
 * @param handshakeBytes    hello, welcome, auth, refuse, puzzle and work frames
 * @param controlBytes      ping, pong, peer-request and bye frames
 * @param listBytes         peers, ihave, graft and prune frames
 * @param publishBytes      publish frames
 * @param maxPayloadBytes   the decoded payload of one application message
 * @param maxDepth          nesting of objects and arrays
 * @param maxArrayLength    elements of one array (e.g. peer records)
 * @param maxStringLength   characters of one string
 */
public record FrameLimits(int maxFrameBytes, int handshakeBytes, int controlBytes, int listBytes,
                          int publishBytes, int maxPayloadBytes, int maxDepth, int maxArrayLength,
                          int maxStringLength) {

    /** Defaults: 1 MiB overall, 16 KiB handshake, 4 KiB control, 128 KiB lists, 512 KiB payloads. */
    public static FrameLimits defaults() {
        return new FrameLimits(1 << 20, 16 << 10, 4 << 10, 128 << 10, 1 << 20, 512 << 10, 8, 1000, 1 << 20);
    }

    /** Checks every bound is positive and no kind exceeds the overall bound. */
    public FrameLimits {
        int[] all = {maxFrameBytes, handshakeBytes, controlBytes, listBytes, publishBytes, maxPayloadBytes,
                maxDepth, maxArrayLength, maxStringLength};
        for (int v : all) {
            if (v <= 0) {
                throw new IllegalArgumentException("frame limits must be positive");
            }
        }
        if (handshakeBytes > maxFrameBytes || controlBytes > maxFrameBytes || listBytes > maxFrameBytes
                || publishBytes > maxFrameBytes) {
            throw new IllegalArgumentException("a per-kind limit exceeds maxFrameBytes");
        }
    }

    /** The size limit for a frame kind; unknown kinds get the control limit. */
    public int limitFor(String kind) {
        switch (kind) {
            case "hello":
            case "welcome":
            case "auth":
            case "refuse":
            case "puzzle":
            case "work":
                return handshakeBytes;
            case "peers":
            case "ihave":
            case "graft":
            case "prune":
                return listBytes;
            case "publish":
                return publishBytes;
            default:
                return controlBytes;
        }
    }
}
