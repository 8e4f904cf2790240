package dev.meshkit.transport.ws.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FrameReaderTest {
    private final List<String> events = new ArrayList<>();
    private final List<byte[]> messages = new ArrayList<>();
    private final FrameReader.Sink sink = new FrameReader.Sink() {
        @Override
        public void onMessage(byte[] data) {
            events.add("message " + data.length);
            messages.add(data);
        }

        @Override
        public void onPing(byte[] payload) {
            events.add("ping " + new String(payload, StandardCharsets.UTF_8));
        }

        @Override
        public void onClose(int code, String reason) {
            events.add("close " + code + " " + reason);
        }
    };

    /** An unmasked frame as a server writes it; {@code head} is the first byte. */
    static byte[] frame(int head, byte[] payload) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(head);
        int n = payload.length;
        if (n < 126) {
            out.write(n);
        } else if (n < 65536) {
            out.write(126);
            out.write(n >>> 8);
            out.write(n);
        } else {
            out.write(127);
            for (int i = 7; i >= 0; i--) {
                out.write((int) ((long) n >>> (8 * i)));
            }
        }
        out.writeBytes(payload);
        return out.toByteArray();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    private static byte[] bytes(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 7 + 3);
        }
        return b;
    }

    @Test
    void framesSplitAtEveryPossibleByteArriveWhole() throws Exception {
        byte[] big = bytes(70_000);
        byte[] medium = bytes(300);
        byte[] stream = concat(frame(0x82, bytes(5)), frame(0x82, medium), frame(0x82, big), frame(0x82, new byte[0]),
                frame(0x89, "hi".getBytes(StandardCharsets.UTF_8)));
        // The same stream in pieces of 1, 2, 3, 7 and 4,096 bytes: headers and lengths cut anywhere.
        for (int piece : new int[] {1, 2, 3, 7, 4096}) {
            events.clear();
            messages.clear();
            FrameReader reader = new FrameReader(1 << 20);
            for (int at = 0; at < stream.length; at += piece) {
                reader.read(ByteBuffer.wrap(stream, at, Math.min(piece, stream.length - at)), sink);
            }
            assertEquals(List.of("message 5", "message 300", "message 70000", "message 0", "ping hi"), events,
                    "pieces of " + piece);
            assertArrayEquals(medium, messages.get(1));
            assertArrayEquals(big, messages.get(2));
        }
    }

    @Test
    void fragmentsAreJoinedAndControlFramesMayComeBetweenThem() throws Exception {
        FrameReader reader = new FrameReader(1 << 20);
        reader.read(ByteBuffer.wrap(concat(frame(0x02, new byte[] {1, 2}), frame(0x89, new byte[0]),
                frame(0x00, new byte[] {3}), frame(0x80, new byte[] {4, 5}))), sink);
        assertEquals(List.of("ping ", "message 5"), events);
        assertArrayEquals(new byte[] {1, 2, 3, 4, 5}, messages.get(0));
    }

    @Test
    void textIsPassedOnAsItsUtf8BytesAndBadUtf8IsRefusedWith1007() throws Exception {
        FrameReader reader = new FrameReader(1024);
        byte[] text = "héllo".getBytes(StandardCharsets.UTF_8);
        reader.read(ByteBuffer.wrap(frame(0x81, text)), sink);
        assertArrayEquals(text, messages.get(0));
        assertEquals(1007, violation(1024, frame(0x81, new byte[] {(byte) 0xC3, 0x28})));
    }

    @Test
    void closeFramesCarryCodeAndReason() throws Exception {
        FrameReader reader = new FrameReader(1024);
        byte[] reason = "bye".getBytes(StandardCharsets.UTF_8);
        reader.read(ByteBuffer.wrap(concat(frame(0x88, concat(new byte[] {0x0F, (byte) 0xA0}, reason)),
                frame(0x88, new byte[0]))), sink);
        assertEquals(List.of("close 4000 bye", "close 1005 "), events);
        assertEquals(1002, violation(1024, frame(0x88, new byte[] {3})), "one-byte close payload");
        assertEquals(1002, violation(1024, frame(0x88, new byte[] {0x03, (byte) 0xEE})), "1006 may not be sent");
    }

    @Test
    void whatAServerMayNotSendIsRefusedWithTheRightCode() {
        assertEquals(1002, violation(1024, new byte[] {(byte) 0x82, (byte) 0x81, 1, 2, 3, 4, 9}), "masked");
        assertEquals(1002, violation(1024, frame(0xC2, new byte[1])), "reserved bit");
        assertEquals(1002, violation(1024, frame(0x83, new byte[1])), "reserved opcode");
        assertEquals(1002, violation(1024, frame(0x09, new byte[1])), "fragmented ping");
        assertEquals(1002, violation(1024, frame(0x89, new byte[126])), "ping over 125 bytes");
        assertEquals(1002, violation(1024, frame(0x80, new byte[1])), "continuation without a start");
        assertEquals(1002, violation(1024, concat(frame(0x02, new byte[1]), frame(0x82, new byte[1]))),
                "new message inside a fragmented one");
        byte[] topBit = {(byte) 0x82, 127, (byte) 0x80, 0, 0, 0, 0, 0, 0, 1};
        assertEquals(1002, violation(1024, topBit), "64-bit length with the top bit set");
    }

    @Test
    void anOversizedMessageIsRefusedFromItsHeaderAlone() {
        // Only the header of a 2 GiB frame: refused before any payload arrives or memory is taken.
        byte[] header = {(byte) 0x82, 127, 0, 0, 0, 0, 0x7F, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF};
        assertEquals(1009, violation(1 << 20, header));
        // Fragments that each fit but together do not.
        assertEquals(1009, violation(100, concat(frame(0x02, new byte[60]), frame(0x80, new byte[60]))));
        FrameReader.Violation v = assertThrows(FrameReader.Violation.class,
                () -> new FrameReader(100).read(ByteBuffer.wrap(frame(0x82, new byte[101])), sink));
        assertTrue(v.getMessage().contains("101"), v.getMessage());
    }

    private int violation(int max, byte[] stream) {
        FrameReader.Violation v = assertThrows(FrameReader.Violation.class,
                () -> new FrameReader(max).read(ByteBuffer.wrap(stream), sink));
        return v.code();
    }
}
