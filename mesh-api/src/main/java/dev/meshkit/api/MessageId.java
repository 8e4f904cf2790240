package dev.meshkit.api;

import java.util.HexFormat;

/**
 * Identity of one published message: the first 128 bits of SHA-256 over the message's signed bytes.
 * Because it is derived from what the origin signed, nobody can claim a genuine message's id for
 * different content without a second pre-image.
 *
 * <p>Held as two numbers, not as text: ids are made, hashed and compared for every copy of every
 * message and for every announced id, and text would cost a conversion and an allocation each time.
 * {@link #hex()} and {@link #toString()} give the text form, 32 lower-case hex characters.
 *
 * @param high the first 8 bytes, big-endian
 * @param low  the last 8 bytes, big-endian
 */
public record MessageId(long high, long low) {
    /** Length of a message id in bytes. */
    public static final int BYTES = 16;

    /** Parses 32 hexadecimal characters (either case). */
    public static MessageId parse(String hex) {
        if (hex == null || hex.length() != BYTES * 2) {
            throw new IllegalArgumentException("message id must be " + BYTES * 2 + " hex characters");
        }
        try {
            return new MessageId(HexFormat.fromHexDigitsToLong(hex, 0, 16), HexFormat.fromHexDigitsToLong(hex, 16, 32));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("message id must be hex: " + e.getMessage());
        }
    }

    /** The id of these {@value #BYTES} bytes. */
    public static MessageId fromBytes(byte[] bytes) {
        if (bytes == null || bytes.length != BYTES) {
            throw new IllegalArgumentException("message id must be " + BYTES + " bytes");
        }
        return fromBytes(bytes, 0);
    }

    /** The id in the {@value #BYTES} bytes of {@code bytes} from {@code offset}. */
    public static MessageId fromBytes(byte[] bytes, int offset) {
        if (offset < 0 || offset > bytes.length - BYTES) {
            throw new IllegalArgumentException("message id must be " + BYTES + " bytes");
        }
        return new MessageId(longAt(bytes, offset), longAt(bytes, offset + 8));
    }

    private static long longAt(byte[] b, int i) {
        long v = 0;
        for (int k = 0; k < 8; k++) {
            v = (v << 8) | (b[i + k] & 0xFF);
        }
        return v;
    }

    /** The id's {@value #BYTES} bytes. */
    public byte[] bytes() {
        byte[] out = new byte[BYTES];
        for (int k = 0; k < 8; k++) {
            out[k] = (byte) (high >>> (56 - 8 * k));
            out[8 + k] = (byte) (low >>> (56 - 8 * k));
        }
        return out;
    }

    /** 32 lower-case hex characters. */
    public String hex() {
        HexFormat h = HexFormat.of();
        return h.toHexDigits(high) + h.toHexDigits(low);
    }

    // Written out rather than generated: ids are compared and hashed many times per message, and
    // the generated versions go through method handles the JIT does not always see through.
    @Override
    public boolean equals(Object o) {
        return o instanceof MessageId m && m.high == high && m.low == low;
    }

    @Override
    public int hashCode() {
        long x = high ^ low;
        return (int) (x ^ (x >>> 32));
    }

    @Override
    public String toString() {
        return hex();
    }
}
