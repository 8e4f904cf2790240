package dev.meshkit.core.gossip;

import dev.meshkit.api.MessageId;
import dev.meshkit.api.NodeId;
import dev.meshkit.api.wire.Envelope;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The canonical bytes an origin signs, and the message id derived from them. Independent of any
 * codec: a message keeps its id and signature however it is encoded on the wire. TTL and hops are
 * left out because relays change them.
 *
 * <p>Layout: {@code "MKE1"}, type length (u16) and UTF-8 bytes, origin (32 bytes), destination
 * flag (u8) and destination (32 bytes if present), timestamp (i64), sequence (i64), payload length
 * (u32) and bytes. All integers big-endian.
 */
public final class EnvelopeSigning {
    private static final byte[] MAGIC = {'M', 'K', 'E', '1'};
    /**
     * Never used itself, only cloned: a clone skips the provider look-up of {@code getInstance},
     * which costs more than hashing a small message.
     */
    private static final MessageDigest SHA_256_PROTOTYPE = newSha256();

    private EnvelopeSigning() {
    }

    /** The bytes the origin signs. */
    public static byte[] signedBytes(Envelope e) {
        byte[] type = e.type().getBytes(StandardCharsets.UTF_8);
        int size = MAGIC.length + 2 + type.length + NodeId.BYTES + 1 + (e.isDirect() ? NodeId.BYTES : 0) + 8 + 8 + 4
                + e.payload().length;
        ByteBuffer b = ByteBuffer.allocate(size);
        b.put(MAGIC);
        b.putShort((short) type.length).put(type);
        putHex(b, e.origin().hex());
        if (e.isDirect()) {
            b.put((byte) 1);
            putHex(b, e.destination().hex());
        } else {
            b.put((byte) 0);
        }
        b.putLong(e.timestamp()).putLong(e.sequence());
        b.putInt(e.payload().length).put(e.payload());
        return b.array();
    }

    // Node ids are validated lower-case hex; decoding in place spares an array per id per message.
    private static void putHex(ByteBuffer b, String hex) {
        for (int i = 0; i < hex.length(); i += 2) {
            b.put((byte) ((nibble(hex.charAt(i)) << 4) | nibble(hex.charAt(i + 1))));
        }
    }

    private static int nibble(char c) {
        return c <= '9' ? c - '0' : c - 'a' + 10;
    }

    /** The id of the message whose signed bytes are {@code signed}. */
    public static MessageId messageId(byte[] signed) {
        return MessageId.fromBytes(sha256(signed), 0);
    }

    /** SHA-256 of {@code data}. */
    public static byte[] sha256(byte[] data) {
        MessageDigest md;
        try {
            md = (MessageDigest) SHA_256_PROTOTYPE.clone();
        } catch (CloneNotSupportedException e) {
            md = newSha256();
        }
        return md.digest(data);
    }

    private static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }
}
