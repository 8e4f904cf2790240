package dev.meshkit.transport.ws.internal;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads the frames a WebSocket server sends (RFC 6455 section 5) from bytes as they arrive, in
 * pieces of any size, and reports whole messages and control frames.
 *
 * <p>Everything a server may not send is refused with the close code the RFC names: reserved bits
 * or opcodes, a masked frame, a fragmented or oversized control frame, a continuation without a
 * start, a message over the size limit (checked on each frame's announced length, before any
 * memory is taken), text that is not UTF-8, a malformed close payload.
 */
final class FrameReader {
    /** A frame the server was not allowed to send; {@link #code()} is the close code to answer with. */
    static final class Violation extends Exception {
        private static final long serialVersionUID = 1L;
        private final int code;

        Violation(int code, String message) {
            super(message);
            this.code = code;
        }

        int code() {
            return code;
        }
    }

    /** Where complete messages and control frames go. */
    interface Sink {
        /** A whole binary message, or a text message as its UTF-8 bytes. */
        void onMessage(byte[] data);

        void onPing(byte[] payload);

        /** The peer's close frame; code 1005 when it carried none. */
        void onClose(int code, String reason);
    }

    static final int PROTOCOL_ERROR = 1002;
    static final int INVALID_DATA = 1007;
    static final int NO_STATUS = 1005;
    /** Above this, a reassembly buffer is not kept for the next message. */
    private static final int KEEP_BUFFER_BYTES = 64 * 1024;
    private static final byte[] EMPTY = new byte[0];

    private final int maxMessageBytes;
    // The frame being read: first its header (without a mask key: servers do not mask), then its payload.
    private final byte[] head = new byte[10];
    private int headFilled;
    private int headNeeded = 2;
    private boolean inPayload;
    private byte[] payload;
    private int payloadFilled;
    private int opcode;
    private boolean fin;
    // A fragmented message in progress; -1 when none.
    private int messageOpcode = -1;
    private byte[] assembly = EMPTY;
    private int assembled;

    FrameReader(int maxMessageBytes) {
        this.maxMessageBytes = maxMessageBytes;
    }

    /** Consumes all of {@code in}, reporting each message or control frame completed by it. */
    void read(ByteBuffer in, Sink sink) throws Violation {
        while (in.hasRemaining()) {
            if (!inPayload) {
                int take = Math.min(headNeeded - headFilled, in.remaining());
                in.get(head, headFilled, take);
                headFilled += take;
                if (headFilled < headNeeded) {
                    return;
                }
                if (headNeeded == 2) {
                    int len7 = head[1] & 0x7F;
                    int extra = len7 == 126 ? 2 : len7 == 127 ? 8 : 0;
                    if (extra > 0) {
                        headNeeded = 2 + extra;
                        continue;
                    }
                }
                begin(sink);
            } else {
                int take = Math.min(payload.length - payloadFilled, in.remaining());
                in.get(payload, payloadFilled, take);
                payloadFilled += take;
                if (payloadFilled == payload.length) {
                    complete(sink);
                }
            }
        }
    }

    private void begin(Sink sink) throws Violation {
        int b0 = head[0] & 0xFF;
        int b1 = head[1] & 0xFF;
        if ((b0 & 0x70) != 0) {
            throw new Violation(PROTOCOL_ERROR, "reserved bits set without an extension");
        }
        if ((b1 & 0x80) != 0) {
            throw new Violation(PROTOCOL_ERROR, "masked frame from a server");
        }
        fin = (b0 & 0x80) != 0;
        opcode = b0 & 0x0F;
        long length = b1 & 0x7F;
        if (headNeeded == 4) {
            length = ((head[2] & 0xFF) << 8) | (head[3] & 0xFF);
        } else if (headNeeded == 10) {
            length = 0;
            for (int i = 2; i < 10; i++) {
                length = (length << 8) | (head[i] & 0xFF);
            }
            if (length < 0) {
                throw new Violation(PROTOCOL_ERROR, "frame length with its top bit set");
            }
        }
        switch (opcode) {
            case ClientFrames.CLOSE, ClientFrames.PING, ClientFrames.PONG -> {
                if (!fin || length > ClientFrames.MAX_CONTROL_PAYLOAD) {
                    throw new Violation(PROTOCOL_ERROR, "control frame fragmented or over 125 bytes");
                }
            }
            case ClientFrames.TEXT, ClientFrames.BINARY -> {
                if (messageOpcode >= 0) {
                    throw new Violation(PROTOCOL_ERROR, "new message inside a fragmented one");
                }
                checkSize(length);
            }
            case ClientFrames.CONTINUATION -> {
                if (messageOpcode < 0) {
                    throw new Violation(PROTOCOL_ERROR, "continuation frame without a message");
                }
                checkSize(assembled + length);
            }
            default -> throw new Violation(PROTOCOL_ERROR, "reserved opcode " + opcode);
        }
        payload = length == 0 ? EMPTY : new byte[(int) length];
        payloadFilled = 0;
        inPayload = true;
        if (length == 0) {
            complete(sink);
        }
    }

    private void checkSize(long size) throws Violation {
        if (size > maxMessageBytes) {
            throw new Violation(WsConnection.TOO_BIG, "message of " + size + " bytes exceeds " + maxMessageBytes);
        }
    }

    private void complete(Sink sink) throws Violation {
        byte[] data = payload;
        payload = null;
        inPayload = false;
        headFilled = 0;
        headNeeded = 2;
        switch (opcode) {
            case ClientFrames.PING -> sink.onPing(data);
            case ClientFrames.PONG -> {
                // Unsolicited pongs are allowed and need no answer.
            }
            case ClientFrames.CLOSE -> closeFrame(data, sink);
            case ClientFrames.CONTINUATION -> {
                append(data);
                if (fin) {
                    byte[] whole = Arrays.copyOf(assembly, assembled);
                    int kind = messageOpcode;
                    messageOpcode = -1;
                    assembled = 0;
                    if (assembly.length > KEEP_BUFFER_BYTES) {
                        assembly = EMPTY;
                    }
                    message(kind, whole, sink);
                }
            }
            default -> {
                if (fin) {
                    message(opcode, data, sink);
                } else {
                    messageOpcode = opcode;
                    append(data);
                }
            }
        }
    }

    private void append(byte[] data) {
        if (assembled + data.length > assembly.length) {
            // Sizes were checked against the limit, so this never grows past it.
            int grown = (int) Math.min(maxMessageBytes, Math.max(256L, Math.max(2L * assembly.length, (long) assembled + data.length)));
            assembly = Arrays.copyOf(assembly, grown);
        }
        System.arraycopy(data, 0, assembly, assembled, data.length);
        assembled += data.length;
    }

    private static void message(int kind, byte[] data, Sink sink) throws Violation {
        if (kind == ClientFrames.TEXT) {
            utf8(data);
        }
        sink.onMessage(data);
    }

    private static void closeFrame(byte[] data, Sink sink) throws Violation {
        if (data.length == 0) {
            sink.onClose(NO_STATUS, "");
            return;
        }
        if (data.length == 1) {
            throw new Violation(PROTOCOL_ERROR, "close frame with a one-byte payload");
        }
        int code = ((data[0] & 0xFF) << 8) | (data[1] & 0xFF);
        if (!receivable(code)) {
            throw new Violation(PROTOCOL_ERROR, "close code " + code + " may not be sent");
        }
        sink.onClose(code, utf8(Arrays.copyOfRange(data, 2, data.length)));
    }

    /** Codes a peer may put in a close frame: the defined ones in use, and the registered and private ranges. */
    static boolean receivable(int code) {
        return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) || (code >= 3000 && code <= 4999);
    }

    private static String utf8(byte[] data) throws Violation {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(data))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new Violation(INVALID_DATA, "text that is not UTF-8");
        }
    }
}
