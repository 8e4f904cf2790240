package dev.meshkit.api;

/**
 * Identity of one published message: the first 128 bits of SHA-256 over the message's signed bytes,
 * as 32 lower-case hex characters. Because it is derived from what the origin signed, nobody can
 * claim a genuine message's id for different content without a second pre-image.
 *
 * @param hex 32 lower-case hexadecimal characters
 */
public record MessageId(String hex) {
    /** Length of a message id in bytes. */
    public static final int BYTES = 16;

    /** Validates the hex form. */
    public MessageId {
        if (hex == null || hex.length() != BYTES * 2) {
            throw new IllegalArgumentException("message id must be " + BYTES * 2 + " lower-case hex characters");
        }
        // A plain loop: ids are built for every message received, so this is on the hot path.
        for (int i = 0; i < hex.length(); i++) {
            char c = hex.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                throw new IllegalArgumentException("message id must be lower-case hex");
            }
        }
    }

    /** The id of these {@value #BYTES} bytes. */
    public static MessageId fromBytes(byte[] bytes) {
        if (bytes == null || bytes.length != BYTES) {
            throw new IllegalArgumentException("message id must be " + BYTES + " bytes");
        }
        return new MessageId(java.util.HexFormat.of().formatHex(bytes));
    }

    /** The id's {@value #BYTES} bytes. */
    public byte[] bytes() {
        return java.util.HexFormat.of().parseHex(hex);
    }

    @Override
    public String toString() {
        return hex;
    }
}
