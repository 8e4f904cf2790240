package dev.meshkit.transport.ws.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Writes the frames a WebSocket client sends (RFC 6455 section 5): one final frame per message,
 * payload masked with the key given. The result is the exact bytes for the socket, in one array.
 */
final class ClientFrames {
    static final int CONTINUATION = 0x0;
    static final int TEXT = 0x1;
    static final int BINARY = 0x2;
    static final int CLOSE = 0x8;
    static final int PING = 0x9;
    static final int PONG = 0xA;
    /** Largest payload of a control frame. */
    static final int MAX_CONTROL_PAYLOAD = 125;

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private ClientFrames() {
    }

    /** A final frame of {@code opcode} carrying {@code payload}, masked with {@code maskKey}. */
    static byte[] frame(int opcode, byte[] payload, int maskKey) {
        int length = payload.length;
        int lengthBytes = length <= 125 ? 0 : length <= 0xFFFF ? 2 : 8;
        int header = 2 + lengthBytes + 4;
        byte[] out = new byte[header + length];
        out[0] = (byte) (0x80 | opcode);
        if (lengthBytes == 0) {
            out[1] = (byte) (0x80 | length);
        } else if (lengthBytes == 2) {
            out[1] = (byte) (0x80 | 126);
            out[2] = (byte) (length >>> 8);
            out[3] = (byte) length;
        } else {
            out[1] = (byte) (0x80 | 127);
            for (int i = 0; i < 8; i++) {
                out[2 + i] = (byte) ((long) length >>> (56 - 8 * i));
            }
        }
        int keyAt = header - 4;
        out[keyAt] = (byte) (maskKey >>> 24);
        out[keyAt + 1] = (byte) (maskKey >>> 16);
        out[keyAt + 2] = (byte) (maskKey >>> 8);
        out[keyAt + 3] = (byte) maskKey;
        mask(payload, out, header, maskKey);
        return out;
    }

    /** A close frame with {@code code} and as much of {@code reason} as fits a control frame. */
    static byte[] close(int code, String reason, int maskKey) {
        byte[] text = WsConnection.truncate(reason).getBytes(StandardCharsets.UTF_8);
        byte[] payload = new byte[2 + text.length];
        payload[0] = (byte) (code >>> 8);
        payload[1] = (byte) code;
        System.arraycopy(text, 0, payload, 2, text.length);
        return frame(CLOSE, payload, maskKey);
    }

    /**
     * Copies {@code src} into {@code dst} from {@code at}, XOR-ed with the mask key repeated. Eight
     * bytes at a time: the key repeats every four bytes, so one long holds it twice.
     */
    static void mask(byte[] src, byte[] dst, int at, int maskKey) {
        long key = ((long) maskKey << 32) | (maskKey & 0xFFFFFFFFL);
        int n = src.length;
        int i = 0;
        for (; i + 8 <= n; i += 8) {
            LONGS.set(dst, at + i, (long) LONGS.get(src, i) ^ key);
        }
        for (; i < n; i++) {
            dst[at + i] = (byte) (src[i] ^ (maskKey >>> (24 - 8 * (i & 3))));
        }
    }
}
