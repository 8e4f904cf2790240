package dev.meshkit.transport.ws.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshkit.api.Endpoint;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class UpgradeHandshakeTest {
    private final UpgradeHandshake handshake = new UpgradeHandshake(new Endpoint("ws", "::1", 7001, "/mesh"), new Random(1));

    private String request() {
        return new String(handshake.request(), StandardCharsets.US_ASCII);
    }

    private String key() {
        return request().lines().filter(l -> l.startsWith("Sec-WebSocket-Key: "))
                .map(l -> l.substring("Sec-WebSocket-Key: ".length())).findFirst().orElseThrow();
    }

    private String goodAnswer() {
        return "HTTP/1.1 101 Switching Protocols\r\nUpgrade: WebSocket\r\nConnection: keep-alive, Upgrade\r\n"
                + "Sec-WebSocket-Accept: " + Fixtures.accept(key()) + "\r\n\r\n";
    }

    private static ByteBuffer ascii(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    @Test
    void requestAsksForAnUpgradeOfThePathWithAFreshKey() {
        String r = request();
        assertTrue(r.startsWith("GET /mesh HTTP/1.1\r\n"), r);
        assertTrue(r.contains("\r\nHost: [::1]:7001\r\n"), r);
        assertTrue(r.contains("\r\nSec-WebSocket-Version: 13\r\n"), r);
        assertTrue(r.endsWith("\r\n\r\n"));
        assertEquals(24, key().length(), "16 bytes in base64");
        String other = new String(new UpgradeHandshake(new Endpoint("ws", "::1", 7001, "/mesh"), new Random(2)).request(),
                StandardCharsets.US_ASCII);
        assertFalse(other.contains(key()), "another handshake has another key");
    }

    @Test
    void aValidAnswerIsAcceptedAndTheBytesAfterItAreLeftForFrames() throws Exception {
        ByteBuffer in = ascii(goodAnswer() + "\u0082\u0001x");
        assertTrue(handshake.read(in));
        assertEquals(3, in.remaining(), "the first frame stays in the buffer");
        assertEquals((byte) 0x82, in.get());
    }

    @Test
    void anAnswerMayArriveOneByteAtATime() throws Exception {
        byte[] answer = goodAnswer().getBytes(StandardCharsets.ISO_8859_1);
        for (int i = 0; i < answer.length - 1; i++) {
            assertFalse(handshake.read(ByteBuffer.wrap(answer, i, 1)));
        }
        assertTrue(handshake.read(ByteBuffer.wrap(answer, answer.length - 1, 1)));
    }

    @Test
    void refusalsNameWhatWasWrong() {
        assertRefused("HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n", "403 Forbidden");
        assertRefused(goodAnswer().replace(Fixtures.accept(key()), Fixtures.accept("c29tZXRoaW5nIGVsc2UhIQ==")),
                "Sec-WebSocket-Accept");
        assertRefused(goodAnswer().replace("Upgrade: WebSocket\r\n", ""), "Upgrade");
        assertRefused(goodAnswer().replace("keep-alive, Upgrade", "keep-alive"), "Connection");
        assertRefused(goodAnswer().replace("\r\n\r\n", "\r\nSec-WebSocket-Extensions: permessage-deflate\r\n\r\n"),
                "extension");
        assertRefused("HTTP/1.1 101 Switching Protocols\r\nno colon here\r\n\r\n", "malformed");
        assertRefused("HTTP/1.1 101 OK\r\nX: " + "a".repeat(UpgradeHandshake.MAX_HEAD_BYTES), "longer than");
    }

    private void assertRefused(String answer, String expected) {
        UpgradeHandshake h = new UpgradeHandshake(new Endpoint("ws", "::1", 7001, "/mesh"), new Random(1));
        UpgradeHandshake.Refused e = assertThrows(UpgradeHandshake.Refused.class, () -> h.read(ascii(answer)));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
