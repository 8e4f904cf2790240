package dev.meshkit.core.channel;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The bytes a handshake signs or hashes: its parts, each prefixed with its length, so no two
 * different lists of parts share an encoding.
 */
public final class Transcript {
    private Transcript() {
    }

    /** The parts, each length-prefixed. */
    public static byte[] encode(byte[]... parts) {
        int size = 0;
        for (byte[] p : parts) {
            size += 4 + p.length;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(size);
        for (byte[] p : parts) {
            out.writeBytes(ByteBuffer.allocate(4).putInt(p.length).array());
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    /** SHA-256 of {@link #encode(byte[]...)}. */
    public static byte[] hash(byte[]... parts) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(encode(parts));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }
}
