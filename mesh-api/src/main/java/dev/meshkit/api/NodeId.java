package dev.meshkit.api;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A node's identity on the mesh: the SHA-256 of its encoded public key, all 256 bits.
 *
 * <p>Kept as lower-case hex so it prints, compares and hashes cheaply; {@link #shortForm()} is for
 * display only and must never be used to identify a node.
 *
 * @param hex 64 lower-case hexadecimal characters
 */
public record NodeId(String hex) implements Comparable<NodeId> {
    /** Length of a node id in bytes. */
    public static final int BYTES = 32;

    /** Validates the hex form. */
    public NodeId {
        if (hex == null || hex.length() != BYTES * 2) {
            throw new IllegalArgumentException("node id must be " + BYTES * 2 + " hex characters");
        }
        for (int i = 0; i < hex.length(); i++) {
            char c = hex.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                throw new IllegalArgumentException("node id must be lower-case hex");
            }
        }
    }

    /** Parses a node id, accepting upper-case hex too. */
    public static NodeId parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("node id is null");
        }
        return new NodeId(text.trim().toLowerCase(java.util.Locale.ROOT));
    }

    /** Builds a node id from its 32 raw bytes. */
    public static NodeId fromBytes(byte[] bytes) {
        if (bytes == null || bytes.length != BYTES) {
            throw new IllegalArgumentException("node id must be " + BYTES + " bytes");
        }
        return new NodeId(HexFormat.of().formatHex(bytes));
    }

    /** The id that belongs to an encoded public key: SHA-256 over its bytes. */
    public static NodeId ofPublicKey(byte[] encodedPublicKey) {
        try {
            return fromBytes(MessageDigest.getInstance("SHA-256").digest(encodedPublicKey));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }

    /** The raw 32 bytes. */
    public byte[] bytes() {
        return HexFormat.of().parseHex(hex);
    }

    /** First 8 hex characters, for logs and tables only. */
    public String shortForm() {
        return hex.substring(0, 8);
    }

    @Override
    public int compareTo(NodeId other) {
        return hex.compareTo(other.hex);
    }

    @Override
    public String toString() {
        return hex;
    }
}
