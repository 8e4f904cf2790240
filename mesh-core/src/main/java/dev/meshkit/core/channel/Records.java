package dev.meshkit.core.channel;

import java.nio.ByteBuffer;

/**
 * The record layout: a marker byte no plaintext frame starts with, the sender's key epoch (4 bytes),
 * its sequence number (8 bytes), then the AES-256-GCM ciphertext and 16-byte tag. The 13 header
 * bytes are the additional authenticated data.
 */
public final class Records {
    /** First byte of every record. Binary frames start with a small kind number, JSON ones with text. */
    public static final byte MARKER = (byte) 0x80;
    static final int HEADER_BYTES = 13;
    static final int TAG_BYTES = 16;
    /** Bytes a record adds to its plaintext. */
    public static final int OVERHEAD = HEADER_BYTES + TAG_BYTES;

    private Records() {
    }

    /** Writes the header into the first {@value #HEADER_BYTES} bytes of {@code record}. */
    static void writeHeader(byte[] record, int epoch, long sequence) {
        record[0] = MARKER;
        ByteBuffer.wrap(record).putInt(1, epoch).putLong(5, sequence);
    }

    /** The sender's key epoch in a record's header. */
    static int epoch(byte[] record) {
        return ByteBuffer.wrap(record).getInt(1);
    }

    /** The sequence number in a record's header. */
    static long sequence(byte[] record) {
        return ByteBuffer.wrap(record).getLong(5);
    }

    /** True if {@code bytes} is a record rather than a plaintext frame. */
    public static boolean isRecord(byte[] bytes) {
        return bytes.length > 0 && bytes[0] == MARKER;
    }
}
