package dev.meshkit.core.endtoend;

import dev.meshkit.api.RefusalReason;
import dev.meshkit.api.spi.ChannelException;
import dev.meshkit.api.spi.ChannelException.Problem;
import dev.meshkit.core.channel.Records;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The payloads of the end-to-end messages. Each starts with a version byte and the 16-byte session
 * id the initiator chose; then an init carries the channel offer, an accept the answer (2-byte length
 * first) and the responder's key confirmation, a refuse the reason's wire name, and a data message
 * one record. A record's plaintext is the application's type (a length byte and its characters)
 * followed by its payload.
 */
final class EndToEndWire {
    static final byte VERSION = 1;
    static final int SESSION_ID_BYTES = 16;
    private static final int HEAD = 1 + SESSION_ID_BYTES;
    private static final int CONFIRMATION_BYTES = 32;

    /** A message's session id and the bytes after it. */
    record Parsed(byte[] sessionId, byte[] body) {
    }

    /** An accept's parts. */
    record Accept(byte[] answer, byte[] confirmation) {
    }

    /** A record's plaintext: the application's type and payload. */
    record Content(String type, byte[] payload) {
    }

    private EndToEndWire() {
    }

    static byte[] message(byte[] sessionId, byte[] body) {
        byte[] out = new byte[HEAD + body.length];
        out[0] = VERSION;
        System.arraycopy(sessionId, 0, out, 1, SESSION_ID_BYTES);
        System.arraycopy(body, 0, out, HEAD, body.length);
        return out;
    }

    static Parsed parse(byte[] payload) throws ChannelException {
        if (payload.length < HEAD) {
            throw malformed("an end-to-end message has at least " + HEAD + " bytes");
        }
        if (payload[0] != VERSION) {
            throw malformed("end-to-end version " + payload[0] + " is not " + VERSION);
        }
        return new Parsed(Arrays.copyOfRange(payload, 1, HEAD), Arrays.copyOfRange(payload, HEAD, payload.length));
    }

    static byte[] accept(byte[] answer, byte[] confirmation) {
        return ByteBuffer.allocate(2 + answer.length + confirmation.length).putShort((short) answer.length)
                .put(answer).put(confirmation).array();
    }

    static Accept parseAccept(byte[] body) throws ChannelException {
        if (body.length < 2) {
            throw malformed("truncated accept");
        }
        int n = ByteBuffer.wrap(body).getShort() & 0xffff;
        if (body.length != 2 + n + CONFIRMATION_BYTES) {
            throw malformed("an accept is its answer and a " + CONFIRMATION_BYTES + "-byte confirmation");
        }
        return new Accept(Arrays.copyOfRange(body, 2, 2 + n), Arrays.copyOfRange(body, 2 + n, body.length));
    }

    static byte[] refuse(RefusalReason reason) {
        return reason.wireName().getBytes(StandardCharsets.US_ASCII);
    }

    static RefusalReason parseRefuse(byte[] body) {
        return RefusalReason.fromWire(new String(body, StandardCharsets.US_ASCII));
    }

    static byte[] content(String type, byte[] payload) {
        byte[] t = type.getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[1 + t.length + payload.length];
        out[0] = (byte) t.length;
        System.arraycopy(t, 0, out, 1, t.length);
        System.arraycopy(payload, 0, out, 1 + t.length, payload.length);
        return out;
    }

    static Content parseContent(byte[] plain) throws ChannelException {
        int n = plain.length == 0 ? -1 : plain[0] & 0xff;
        if (n < 1 || 1 + n > plain.length) {
            throw malformed("a record's content starts with its type");
        }
        return new Content(new String(plain, 1, n, StandardCharsets.US_ASCII),
                Arrays.copyOfRange(plain, 1 + n, plain.length));
    }

    /** Bytes a data message adds to an application payload whose type has {@code typeLength} characters. */
    static int overhead(int typeLength) {
        return HEAD + Records.OVERHEAD + 1 + typeLength;
    }

    private static ChannelException malformed(String detail) {
        return new ChannelException(Problem.MALFORMED, detail);
    }
}
