package dev.meshkit.transport.ws.internal;

import dev.meshkit.api.Endpoint;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * The client's half of the WebSocket opening handshake (RFC 6455 section 4): the HTTP upgrade
 * request, and the check of the server's answer, read from bytes as they arrive.
 *
 * <p>The answer must be {@code 101} with {@code Upgrade: websocket}, a {@code Connection} header
 * naming {@code upgrade}, and the {@code Sec-WebSocket-Accept} that matches our key; since we offer
 * no extension and no subprotocol, an answer that selects one is refused. The response head is
 * limited to {@value #MAX_HEAD_BYTES} bytes.
 */
final class UpgradeHandshake {
    /** The server did not accept the upgrade, or answered something that is not a valid acceptance. */
    static final class Refused extends IOException {
        private static final long serialVersionUID = 1L;

        Refused(String message) {
            super(message);
        }
    }

    static final int MAX_HEAD_BYTES = 8 * 1024;
    private static final String KEY_SUFFIX = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    private static final int QUOTED_STATUS_CHARS = 80;

    private final String key;
    private final byte[] request;
    private final byte[] head = new byte[MAX_HEAD_BYTES];
    private int filled;

    UpgradeHandshake(Endpoint endpoint, Random random) {
        byte[] nonce = new byte[16];
        random.nextBytes(nonce);
        key = Base64.getEncoder().encodeToString(nonce);
        String host = endpoint.host().indexOf(':') >= 0 ? "[" + endpoint.host() + "]" : endpoint.host();
        String path = endpoint.path().isEmpty() ? "/" : endpoint.path();
        request = ("GET " + path + " HTTP/1.1\r\n"
                + "Host: " + host + ":" + endpoint.port() + "\r\n"
                + "Upgrade: websocket\r\n"
                + "Connection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + key + "\r\n"
                + "Sec-WebSocket-Version: 13\r\n"
                + "\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    byte[] request() {
        return request.clone();
    }

    /**
     * Takes bytes of the answer from {@code in}, up to the end of its head and no further, so what
     * remains in {@code in} is the first WebSocket data. True once the whole head has arrived and
     * was accepted; false while more is needed.
     */
    boolean read(ByteBuffer in) throws Refused {
        while (in.hasRemaining()) {
            if (filled == head.length) {
                throw new Refused("handshake answer longer than " + MAX_HEAD_BYTES + " bytes");
            }
            head[filled++] = in.get();
            if (filled >= 4 && head[filled - 4] == '\r' && head[filled - 3] == '\n'
                    && head[filled - 2] == '\r' && head[filled - 1] == '\n') {
                check(new String(head, 0, filled - 4, StandardCharsets.ISO_8859_1));
                return true;
            }
        }
        return false;
    }

    private void check(String text) throws Refused {
        String[] lines = text.split("\r\n", -1);
        String status = lines[0];
        if (!status.startsWith("HTTP/1.1 101 ") && !status.equals("HTTP/1.1 101")) {
            throw new Refused("server refused the upgrade: "
                    + printable(status.length() > QUOTED_STATUS_CHARS ? status.substring(0, QUOTED_STATUS_CHARS) : status));
        }
        Map<String, String> headers = new HashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon <= 0) {
                throw new Refused("malformed header line in the handshake answer");
            }
            // Repeated headers are joined, as HTTP allows for list-valued ones.
            headers.merge(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
                    lines[i].substring(colon + 1).trim(), (a, b) -> a + "," + b);
        }
        if (!"websocket".equalsIgnoreCase(headers.get("upgrade"))) {
            throw new Refused("handshake answer without Upgrade: websocket");
        }
        if (!hasToken(headers.get("connection"), "upgrade")) {
            throw new Refused("handshake answer without Connection: upgrade");
        }
        if (!accept(key).equals(headers.get("sec-websocket-accept"))) {
            throw new Refused("handshake answer with a wrong Sec-WebSocket-Accept");
        }
        if (headers.containsKey("sec-websocket-extensions") || headers.containsKey("sec-websocket-protocol")) {
            throw new Refused("server selected an extension or subprotocol that was not offered");
        }
    }

    /** The {@code Sec-WebSocket-Accept} value that answers {@code key}. */
    static String accept(String key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-1")
                    .digest((key + KEY_SUFFIX).getBytes(StandardCharsets.US_ASCII));
            return Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-1", e);
        }
    }

    private static boolean hasToken(String list, String token) {
        if (list == null) {
            return false;
        }
        for (String t : list.split(",")) {
            if (t.trim().equalsIgnoreCase(token)) {
                return true;
            }
        }
        return false;
    }

    private static String printable(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            b.append(c >= 0x20 && c < 0x7F ? c : '?');
        }
        return b.toString();
    }
}
