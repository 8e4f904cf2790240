package dev.meshkit.transport.ws.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ClientFramesTest {
    private static final int KEY = 0xA1B2C3D4;

    /** Reads back a client frame: checks the header and returns the unmasked payload. */
    private static byte[] unmask(byte[] frame, int opcode, int expectedHeader) {
        assertEquals(0x80 | opcode, frame[0] & 0xFF, "final frame of the opcode");
        assertEquals(0x80, frame[1] & 0x80, "masked");
        int header = (frame[1] & 0x7F) < 126 ? 6 : (frame[1] & 0x7F) == 126 ? 8 : 14;
        assertEquals(expectedHeader, header);
        byte[] key = {frame[header - 4], frame[header - 3], frame[header - 2], frame[header - 1]};
        byte[] out = new byte[frame.length - header];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) (frame[header + i] ^ key[i & 3]);
        }
        return out;
    }

    @Test
    void everyLengthFormMasksAndUnmasksToThePayload() {
        for (int n : new int[] {0, 1, 7, 8, 9, 125, 126, 65_535, 65_536, 100_003}) {
            byte[] payload = new byte[n];
            for (int i = 0; i < n; i++) {
                payload[i] = (byte) (i * 13 + 5);
            }
            byte[] frame = ClientFrames.frame(ClientFrames.BINARY, payload, KEY);
            int header = n <= 125 ? 6 : n <= 65_535 ? 8 : 14;
            assertEquals(header + n, frame.length, "length " + n);
            assertArrayEquals(payload, unmask(frame, ClientFrames.BINARY, header), "length " + n);
        }
    }

    @Test
    void theMaskKeyIsWrittenBigEndian() {
        byte[] frame = ClientFrames.frame(ClientFrames.PING, new byte[] {0, 0, 0, 0}, KEY);
        assertArrayEquals(new byte[] {(byte) 0xA1, (byte) 0xB2, (byte) 0xC3, (byte) 0xD4},
                java.util.Arrays.copyOfRange(frame, 2, 6));
        assertArrayEquals(new byte[] {(byte) 0xA1, (byte) 0xB2, (byte) 0xC3, (byte) 0xD4},
                java.util.Arrays.copyOfRange(frame, 6, 10), "zeros masked are the key itself");
    }

    @Test
    void closeFramesCarryTheCodeAndAReasonCutToFit() {
        byte[] payload = unmask(ClientFrames.close(4001, "é".repeat(100), KEY), ClientFrames.CLOSE, 6);
        assertEquals(4001, ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF));
        String reason = new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8);
        assertEquals("é".repeat(61), reason, "123 bytes at most, whole characters only");
    }
}
