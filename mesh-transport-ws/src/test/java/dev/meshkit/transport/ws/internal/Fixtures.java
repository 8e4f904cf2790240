package dev.meshkit.transport.ws.internal;

import dev.meshkit.api.Endpoint;
import dev.meshkit.api.spi.TransportOptions;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/** Shared bits for the transport tests. Every socket here is on 127.0.0.1. */
final class Fixtures {
    static final String LOOPBACK = "127.0.0.1";
    private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    private Fixtures() {
    }

    static Endpoint any() {
        return new Endpoint("ws", LOOPBACK, 0, "");
    }

    static Endpoint at(int port) {
        return new Endpoint("ws", LOOPBACK, port, "");
    }

    static TransportOptions options(int maxFrameBytes, long maxQueuedBytes, long connectTimeoutMillis) {
        return new TransportOptions(maxFrameBytes, maxQueuedBytes, connectTimeoutMillis);
    }

    static ServerSocket occupy(int port) throws IOException {
        ServerSocket s = new ServerSocket();
        s.setReuseAddress(true);
        s.bind(new java.net.InetSocketAddress(InetAddress.getByName(LOOPBACK), port));
        return s;
    }

    static String accept(String key) {
        try {
            byte[] sha1 = MessageDigest.getInstance("SHA-1").digest((key + GUID).getBytes(StandardCharsets.US_ASCII));
            return Base64.getEncoder().encodeToString(sha1);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Reads an HTTP head up to the blank line. */
    static String readHead(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        while (!sb.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed during handshake: " + sb);
            }
            sb.append((char) b);
        }
        return sb.toString();
    }

    /**
     * A bare WebSocket client on a plain socket: it completes the opening handshake and then does
     * only what the test makes it do (for example, never read).
     */
    static Socket rawClient(int port, int receiveBuffer) throws IOException {
        Socket s = new Socket();
        if (receiveBuffer > 0) {
            s.setReceiveBufferSize(receiveBuffer);
        }
        s.connect(new java.net.InetSocketAddress(LOOPBACK, port), 5_000);
        s.setSoTimeout(10_000);
        String key = Base64.getEncoder().encodeToString("0123456789abcdef".getBytes(StandardCharsets.US_ASCII));
        OutputStream out = s.getOutputStream();
        out.write(("GET / HTTP/1.1\r\nHost: " + LOOPBACK + ":" + port + "\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Key: " + key + "\r\nSec-WebSocket-Version: 13\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        String head = readHead(s.getInputStream());
        if (!head.startsWith("HTTP/1.1 101")) {
            throw new IOException("handshake refused: " + head);
        }
        return s;
    }

    /** Writes one masked client frame. */
    static void writeClientFrame(OutputStream out, int opcode, byte[] payload) throws IOException {
        out.write(0x80 | opcode);
        int n = payload.length;
        if (n < 126) {
            out.write(0x80 | n);
        } else if (n < 65536) {
            out.write(0x80 | 126);
            out.write(n >>> 8);
            out.write(n);
        } else {
            out.write(0x80 | 127);
            for (int i = 7; i >= 0; i--) {
                out.write((int) ((long) n >>> (8 * i)));
            }
        }
        byte[] mask = {1, 2, 3, 4};
        out.write(mask);
        byte[] masked = new byte[n];
        for (int i = 0; i < n; i++) {
            masked[i] = (byte) (payload[i] ^ mask[i & 3]);
        }
        out.write(masked);
        out.flush();
    }

    /** Reads one unmasked server frame's payload; returns null on end of stream. */
    static byte[] readServerFrame(InputStream in) throws IOException {
        int b0 = in.read();
        if (b0 < 0) {
            return null;
        }
        return in.readNBytes((int) payloadLength(in, in.read()));
    }

    /** The payload length of a frame whose second byte is {@code b1}, reading any extended length. */
    private static long payloadLength(InputStream in, int b1) throws IOException {
        long n = b1 & 0x7f;
        if (n == 126) {
            n = (in.read() << 8) | in.read();
        } else if (n == 127) {
            n = 0;
            for (int i = 0; i < 8; i++) {
                n = (n << 8) | in.read();
            }
        }
        return n;
    }

    /** Reads one masked client frame: the first byte (FIN and opcode) followed by the unmasked payload. */
    static byte[] readClientFrame(InputStream in) throws IOException {
        int b0 = in.read();
        int b1 = in.read();
        if (b0 < 0 || b1 < 0) {
            throw new IOException("end of stream instead of a frame");
        }
        if ((b1 & 0x80) == 0) {
            throw new IOException("client frame not masked");
        }
        long n = payloadLength(in, b1);
        byte[] key = in.readNBytes(4);
        byte[] out = new byte[1 + (int) n];
        out[0] = (byte) b0;
        byte[] payload = in.readNBytes((int) n);
        for (int i = 0; i < payload.length; i++) {
            out[1 + i] = (byte) (payload[i] ^ key[i & 3]);
        }
        return out;
    }
}
