package dev.meshkit.transport.ws.internal;

import static dev.meshkit.transport.ws.internal.Fixtures.any;
import static dev.meshkit.transport.ws.internal.Fixtures.at;
import static dev.meshkit.transport.ws.internal.Fixtures.options;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshkit.api.Endpoint;
import dev.meshkit.api.ErrorCode;
import dev.meshkit.api.MeshException;
import dev.meshkit.api.spi.Connection;
import dev.meshkit.api.spi.Listener;
import dev.meshkit.api.spi.TransportOptions;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class WsTransportTest {
    private final List<AutoCloseable> cleanup = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        for (int i = cleanup.size() - 1; i >= 0; i--) {
            cleanup.get(i).close();
        }
    }

    private WsTransport transport(TransportOptions options) {
        WsTransport t = new WsTransport(options);
        cleanup.add(t);
        return t;
    }

    private WsTransport transport() {
        return transport(TransportOptions.defaults());
    }

    private static MeshException failure(java.util.concurrent.Future<?> future) throws InterruptedException {
        ExecutionException e = assertThrows(ExecutionException.class, () -> future.get(20, TimeUnit.SECONDS));
        return assertInstanceOf(MeshException.class, e.getCause());
    }

    @Test
    void echoRoundTripCarriesBytesUnchanged() throws Exception {
        Recorder server = Recorder.echo();
        Listener listener = transport().listen(any(), server).get(5, TimeUnit.SECONDS);
        Recorder client = new Recorder();
        Connection c = transport().dial(listener.endpoint(), client).get(5, TimeUnit.SECONDS);
        assertTrue(c.isOpen());

        byte[] small = {0, 1, 2, (byte) 0xff};
        byte[] big = new byte[200_000];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) (i * 31);
        }
        byte[] empty = new byte[0];
        assertTrue(c.send(small));
        assertTrue(c.send(big));
        assertTrue(c.send(empty));
        assertArrayEquals(small, client.awaitFrame());
        assertArrayEquals(big, client.awaitFrame());
        assertArrayEquals(empty, client.awaitFrame());
        assertEquals(0, c.queuedBytes());

        c.close(1000, "done");
        client.assertClose(1000, false);
        server.assertClose(1000, true);
        assertFalse(c.isOpen());
        assertFalse(c.send(small), "send after close must refuse");
        client.assertClean();
        server.assertClean();
    }

    @Test
    void portZeroBindsAnEphemeralPortAndReportsIt() throws Exception {
        Listener listener = transport().listen(any(), new Recorder()).get(5, TimeUnit.SECONDS);
        Endpoint bound = listener.endpoint();
        assertNotEquals(0, bound.port());
        assertEquals("127.0.0.1", bound.host());
        assertEquals("ws", bound.scheme());
        try (Socket s = new Socket(Fixtures.LOOPBACK, bound.port())) {
            assertTrue(s.isConnected());
        }
    }

    @Test
    void takenPortFallsBackToTheNextFreeOne() throws Exception {
        int base;
        try (ServerSocket probe = Fixtures.occupy(0)) {
            base = probe.getLocalPort();
        }
        try (ServerSocket taken = Fixtures.occupy(base)) {
            Recorder server = Recorder.echo();
            Listener listener = transport().listen(at(base), server).get(5, TimeUnit.SECONDS);
            int port = listener.endpoint().port();
            assertTrue(port > base && port < base + WsTransport.PORT_ATTEMPTS, "fell back to " + port);
            Recorder client = new Recorder();
            Connection c = transport().dial(listener.endpoint(), client).get(5, TimeUnit.SECONDS);
            c.send(new byte[] {7});
            assertArrayEquals(new byte[] {7}, client.awaitFrame());
        }
    }

    @Test
    void allTenPortsTakenFailsWithConnectFailed() throws Exception {
        List<ServerSocket> held = holdTenConsecutivePorts();
        try {
            int base = held.get(0).getLocalPort();
            MeshException e = failure(transport().listen(at(base), new Recorder()));
            assertEquals(ErrorCode.CONNECT_FAILED, e.code());
            assertTrue(e.getMessage().contains(base + "-" + (base + 9)), e.getMessage());
        } finally {
            for (ServerSocket s : held) {
                s.close();
            }
        }
    }

    private static List<ServerSocket> holdTenConsecutivePorts() throws IOException {
        for (int attempt = 0; attempt < 50; attempt++) {
            int base;
            try (ServerSocket probe = Fixtures.occupy(0)) {
                base = probe.getLocalPort();
            }
            if (base + 10 > 65535) {
                continue;
            }
            List<ServerSocket> held = new ArrayList<>();
            try {
                for (int p = base; p < base + 10; p++) {
                    held.add(Fixtures.occupy(p));
                }
                return held;
            } catch (IOException taken) {
                for (ServerSocket s : held) {
                    s.close();
                }
            }
        }
        throw new IllegalStateException("no 10 consecutive free ports found");
    }

    @Test
    void listenerCloseReleasesThePortButKeepsOpenConnections() throws Exception {
        Recorder server = Recorder.echo();
        Listener listener = transport().listen(any(), server).get(5, TimeUnit.SECONDS);
        Recorder client = new Recorder();
        Connection c = transport().dial(listener.endpoint(), client).get(5, TimeUnit.SECONDS);
        server.awaitOpen();

        listener.close();
        int port = listener.endpoint().port();
        try (ServerSocket again = Fixtures.occupy(port)) {
            assertEquals(port, again.getLocalPort());
        }
        assertTrue(c.send(new byte[] {1, 2}));
        assertArrayEquals(new byte[] {1, 2}, client.awaitFrame());
        MeshException e = failure(transport().dial(listener.endpoint(), new Recorder()));
        assertEquals(ErrorCode.CONNECT_FAILED, e.code());
    }

    @Test
    void oversizedFrameClosesWith1009AndTheServerKeepsServing() throws Exception {
        Recorder server = Recorder.echo();
        Listener listener = transport(options(1024, 1 << 20, 5_000)).listen(any(), server).get(5, TimeUnit.SECONDS);
        WsTransport dialer = transport();

        Recorder bad = new Recorder();
        Connection c = dialer.dial(listener.endpoint(), bad).get(5, TimeUnit.SECONDS);
        assertTrue(c.send(new byte[1024]), "a frame of exactly the limit is fine");
        assertEquals(1024, bad.awaitFrame().length);
        assertTrue(c.send(new byte[1025]));
        bad.assertClose(1009, true);
        server.awaitOpen();
        server.assertClose(1009, false);

        Recorder good = new Recorder();
        Connection other = dialer.dial(listener.endpoint(), good).get(5, TimeUnit.SECONDS);
        other.send("still here".getBytes(StandardCharsets.UTF_8));
        assertEquals("still here", new String(good.awaitFrame(), StandardCharsets.UTF_8));
        bad.assertClean();
    }

    @Test
    void oversizedFragmentedMessageIsRefusedToo() throws Exception {
        Recorder server = Recorder.echo();
        Listener listener = transport(options(1000, 1 << 20, 5_000)).listen(any(), server).get(5, TimeUnit.SECONDS);
        try (Socket raw = Fixtures.rawClient(listener.endpoint().port(), 0)) {
            OutputStream out = raw.getOutputStream();
            // Three 400-byte fragments: each is under the limit, the message is not.
            writeFragment(out, 0x2, false, new byte[400]);
            writeFragment(out, 0x0, false, new byte[400]);
            writeFragment(out, 0x0, true, new byte[400]);
            server.awaitOpen();
            server.assertClose(1009, false);
            byte[] close = Fixtures.readServerFrame(raw.getInputStream());
            assertEquals(1009, ((close[0] & 0xff) << 8) | (close[1] & 0xff));
        }
        assertTrue(server.frames.isEmpty());
    }

    private static void writeFragment(OutputStream out, int opcode, boolean fin, byte[] payload) throws IOException {
        out.write((fin ? 0x80 : 0) | opcode);
        out.write(0x80 | 126);
        out.write(payload.length >>> 8);
        out.write(payload.length);
        out.write(new byte[4]);
        out.write(payload);
        out.flush();
    }

    @Test
    void oversizedFrameToADiallerClosesItsSideWith1009() throws Exception {
        Recorder server = new Recorder();
        Listener listener = transport().listen(any(), server).get(5, TimeUnit.SECONDS);
        Recorder client = new Recorder();
        Connection c = transport(options(4096, 1 << 20, 5_000)).dial(listener.endpoint(), client).get(5, TimeUnit.SECONDS);
        Connection accepted = server.awaitOpen();
        assertTrue(accepted.send(new byte[4096]));
        assertEquals(4096, client.awaitFrame().length);
        assertTrue(accepted.send(new byte[100_000]));
        client.assertClose(1009, false);
        server.assertClose(1009, true);
        assertFalse(c.isOpen());
        client.assertClean();
    }

    @Test
    void closeCodesAndRemoteFlagsPropagateBothWays() throws Exception {
        Recorder server = new Recorder();
        Listener listener = transport().listen(any(), server).get(5, TimeUnit.SECONDS);
        WsTransport dialer = transport();

        Recorder client = new Recorder();
        Connection c = dialer.dial(listener.endpoint(), client).get(5, TimeUnit.SECONDS);
        server.awaitOpen();
        c.close(4000, "client says bye");
        Recorder.Event local = client.awaitClose();
        assertEquals(4000, local.code());
        assertEquals("client says bye", local.reason());
        assertFalse(local.remote());
        Recorder.Event far = server.awaitClose();
        assertEquals(4000, far.code());
        assertEquals("client says bye", far.reason());
        assertTrue(far.remote());

        Recorder client2 = new Recorder();
        dialer.dial(listener.endpoint(), client2).get(5, TimeUnit.SECONDS);
        Connection accepted = server.awaitOpen();
        accepted.close(4001, "server says bye");
        server.assertClose(4001, false);
        Recorder.Event atClient = client2.awaitClose();
        assertEquals(4001, atClient.code());
        assertEquals("server says bye", atClient.reason());
        assertTrue(atClient.remote());

        client.assertClean();
        client2.assertClean();
        server.assertClean();
    }

    @Test
    void closingTwiceReportsOnce() throws Exception {
        Recorder server = new Recorder();
        Listener listener = transport().listen(any(), server).get(5, TimeUnit.SECONDS);
        Recorder client = new Recorder();
        Connection c = transport().dial(listener.endpoint(), client).get(5, TimeUnit.SECONDS);
        Connection accepted = server.awaitOpen();
        c.close(1000, "");
        c.close(4002, "again");
        accepted.close(4003, "crossing");
        client.assertClose(1000, false);
        server.awaitClose();
        client.assertClean();
        server.assertClean();
    }

    @Test
    void abruptLossIsReportedAs1006() throws Exception {
        Recorder server = new Recorder();
        Listener listener = transport().listen(any(), server).get(5, TimeUnit.SECONDS);
        Socket raw = Fixtures.rawClient(listener.endpoint().port(), 0);
        server.awaitOpen();
        raw.setSoLinger(true, 0);
        raw.close();
        server.assertClose(1006, true);

        // And the dialling side: a peer that accepts the handshake, then drops the socket.
        try (ServerSocket fake = Fixtures.occupy(0)) {
            Thread peer = new Thread(() -> {
                try (Socket s = fake.accept()) {
                    handshakeAsServer(s);
                    s.getInputStream().read(new byte[1]);
                    s.setSoLinger(true, 0);
                } catch (IOException ignored) {
                    // The test checks the dialler's side.
                }
            });
            peer.start();
            Recorder client = new Recorder();
            Connection c = transport().dial(at(fake.getLocalPort()), client).get(5, TimeUnit.SECONDS);
            c.send(new byte[] {1});
            client.assertClose(1006, true);
            peer.join(5_000);
            client.assertClean();
        }
        server.assertClean();
    }

    static void handshakeAsServer(Socket s) throws IOException {
        String head = Fixtures.readHead(s.getInputStream());
        String key = head.lines().filter(l -> l.toLowerCase().startsWith("sec-websocket-key:"))
                .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElseThrow();
        s.getOutputStream().write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: " + Fixtures.accept(key) + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
    }

    @Test
    void dialToAClosedPortFailsWithConnectFailedWithinTheTimeout() throws Exception {
        int port;
        try (ServerSocket probe = Fixtures.occupy(0)) {
            port = probe.getLocalPort();
        }
        long start = System.nanoTime();
        MeshException e = failure(transport(options(1 << 20, 1 << 20, 2_000)).dial(at(port), new Recorder()));
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertEquals(ErrorCode.CONNECT_FAILED, e.code());
        assertTrue(millis < 2_000, "took " + millis + " ms");
    }

    @Test
    void dialToAPeerThatNeverAnswersTimesOut() throws Exception {
        try (ServerSocket silent = Fixtures.occupy(0)) {
            // Accepts TCP (the backlog does) but never answers the WebSocket handshake.
            long start = System.nanoTime();
            MeshException e = failure(transport(options(1 << 20, 1 << 20, 300)).dial(at(silent.getLocalPort()), new Recorder()));
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertEquals(ErrorCode.CONNECT_FAILED, e.code());
            assertTrue(millis >= 250 && millis < 3_000, "took " + millis + " ms");
        }
    }

    @Test
    void inboundFlagsAndRemoteAddresses() throws Exception {
        Recorder server = new Recorder();
        Listener listener = transport().listen(any(), server).get(5, TimeUnit.SECONDS);
        Connection dialled = transport().dial(listener.endpoint(), new Recorder()).get(5, TimeUnit.SECONDS);
        Connection accepted = server.awaitOpen();
        assertFalse(dialled.inbound());
        assertTrue(accepted.inbound());
        assertEquals("127.0.0.1:" + listener.endpoint().port(), dialled.remoteAddress());
        assertTrue(accepted.remoteAddress().matches("127\\.0\\.0\\.1:\\d+"), accepted.remoteAddress());
    }

    @Test
    void textFramesFromAPeerArriveAsUtf8() throws Exception {
        Recorder server = new Recorder();
        Listener listener = transport().listen(any(), server).get(5, TimeUnit.SECONDS);
        try (Socket raw = Fixtures.rawClient(listener.endpoint().port(), 0)) {
            Fixtures.writeClientFrame(raw.getOutputStream(), 0x1, "héllo".getBytes(StandardCharsets.UTF_8));
            assertEquals("héllo", new String(server.awaitFrame(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void wrongSchemeIsRefused() throws Exception {
        MeshException e = failure(transport().dial(new Endpoint("wss", "127.0.0.1", 1, ""), new Recorder()));
        assertEquals(ErrorCode.INVALID_ENDPOINT, e.code());
        MeshException l = failure(transport().listen(new Endpoint("mem", "a", 0, ""), new Recorder()));
        assertEquals(ErrorCode.INVALID_ENDPOINT, l.code());
    }

    @Test
    void transportCloseClosesEverythingWith1001() throws Exception {
        WsTransport serverSide = new WsTransport(TransportOptions.defaults());
        Recorder server = new Recorder();
        Listener listener = serverSide.listen(any(), server).get(5, TimeUnit.SECONDS);
        WsTransport clientSide = transport();
        Recorder client = new Recorder();
        Connection c = clientSide.dial(listener.endpoint(), client).get(5, TimeUnit.SECONDS);
        server.awaitOpen();

        serverSide.close();
        server.assertClose(1001, false);
        client.assertClose(1001, true);
        assertFalse(c.isOpen());
        MeshException e = failure(serverSide.listen(any(), new Recorder()));
        assertEquals(ErrorCode.NOT_RUNNING, e.code());
        try (ServerSocket again = Fixtures.occupy(listener.endpoint().port())) {
            assertTrue(again.isBound());
        }
        client.assertClean();
        server.assertClean();
    }

    @Test
    void handlerMayCloseFromInsideOnFrame() throws Exception {
        Recorder server = new Recorder().reacting((conn, frame) -> {
            conn.send(frame);
            conn.close(4100, "seen enough");
        });
        Listener listener = transport().listen(any(), server).get(5, TimeUnit.SECONDS);
        Recorder client = new Recorder();
        Connection c = transport().dial(listener.endpoint(), client).get(5, TimeUnit.SECONDS);
        c.send(new byte[] {42});
        assertArrayEquals(new byte[] {42}, client.awaitFrame());
        client.assertClose(4100, true);
        server.assertClose(4100, false);
        server.assertClean();
        client.assertClean();
    }

    @Test
    void diallerReassemblesFragmentsAndAcceptsText() throws Exception {
        try (ServerSocket fake = Fixtures.occupy(0)) {
            Thread peer = new Thread(() -> {
                try (Socket s = fake.accept()) {
                    handshakeAsServer(s);
                    OutputStream out = s.getOutputStream();
                    writeServerFrame(out, 0x81, "héllo".getBytes(StandardCharsets.UTF_8));
                    writeServerFrame(out, 0x02, new byte[] {1, 2});
                    writeServerFrame(out, 0x00, new byte[] {3});
                    writeServerFrame(out, 0x80, new byte[] {4, 5});
                    s.getInputStream().read(new byte[64]);
                } catch (IOException ignored) {
                    // The test checks the dialler's side.
                }
            });
            peer.start();
            Recorder client = new Recorder();
            Connection c = transport().dial(at(fake.getLocalPort()), client).get(5, TimeUnit.SECONDS);
            assertEquals("héllo", new String(client.awaitFrame(), StandardCharsets.UTF_8));
            assertArrayEquals(new byte[] {1, 2, 3, 4, 5}, client.awaitFrame());
            c.close(1000, "");
            peer.join(5_000);
        }
    }

    /** A peer on a plain socket that completes the handshake as a server and then runs {@code script}. */
    private interface Script {
        void run(Socket s) throws Exception;
    }

    private Thread fakeServer(ServerSocket socket, Script script, List<Throwable> failures) {
        Thread t = new Thread(() -> {
            try (Socket s = socket.accept()) {
                s.setSoTimeout(10_000);
                handshakeAsServer(s);
                script.run(s);
            } catch (Throwable e) {
                failures.add(e);
            }
        });
        t.start();
        return t;
    }

    @Test
    void diallerAnswersPingsAndEchoesTheServersClose() throws Exception {
        List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (ServerSocket fake = Fixtures.occupy(0)) {
            Thread peer = fakeServer(fake, s -> {
                OutputStream out = s.getOutputStream();
                writeServerFrame(out, 0x89, "abc".getBytes(StandardCharsets.UTF_8));
                byte[] pong = Fixtures.readClientFrame(s.getInputStream());
                assertEquals(0x8A, pong[0] & 0xFF, "a pong");
                assertEquals("abc", new String(pong, 1, pong.length - 1, StandardCharsets.UTF_8));
                writeServerFrame(out, 0x88, new byte[] {0x0F, (byte) 0xA2, 'b', 'y', 'e'});
                byte[] close = Fixtures.readClientFrame(s.getInputStream());
                assertEquals(0x88, close[0] & 0xFF, "a close frame");
                assertEquals(4002, ((close[1] & 0xFF) << 8) | (close[2] & 0xFF), "the code echoed");
                assertEquals(-1, s.getInputStream().read(), "the dialler then closes the socket");
            }, failures);
            Recorder client = new Recorder();
            transport().dial(at(fake.getLocalPort()), client).get(5, TimeUnit.SECONDS);
            Recorder.Event e = client.awaitClose();
            assertEquals(4002, e.code());
            assertEquals("bye", e.reason());
            assertTrue(e.remote());
            peer.join(10_000);
            assertEquals(List.of(), failures);
            client.assertClean();
        }
    }

    @Test
    void diallerRefusesAMaskedFrameWith1002() throws Exception {
        List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (ServerSocket fake = Fixtures.occupy(0)) {
            Thread peer = fakeServer(fake, s -> {
                s.getOutputStream().write(new byte[] {(byte) 0x82, (byte) 0x81, 1, 2, 3, 4, 5});
                byte[] close = Fixtures.readClientFrame(s.getInputStream());
                assertEquals(0x88, close[0] & 0xFF);
                assertEquals(1002, ((close[1] & 0xFF) << 8) | (close[2] & 0xFF));
            }, failures);
            Recorder client = new Recorder();
            transport().dial(at(fake.getLocalPort()), client).get(5, TimeUnit.SECONDS);
            client.assertClose(1002, false);
            peer.join(10_000);
            assertEquals(List.of(), failures);
        }
    }

    @Test
    void aRefusedUpgradeFailsTheDialWithTheServersAnswer() throws Exception {
        try (ServerSocket fake = Fixtures.occupy(0)) {
            Thread peer = new Thread(() -> {
                try (Socket s = fake.accept()) {
                    Fixtures.readHead(s.getInputStream());
                    s.getOutputStream().write("HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n"
                            .getBytes(StandardCharsets.US_ASCII));
                    s.getInputStream().read();
                } catch (IOException ignored) {
                    // The test checks the dialler's side.
                }
            });
            peer.start();
            MeshException e = failure(transport().dial(at(fake.getLocalPort()), new Recorder()));
            assertEquals(ErrorCode.CONNECT_FAILED, e.code());
            assertTrue(e.getMessage().contains("403 Forbidden"), e.getMessage());
            peer.join(10_000);
        }
    }

    @Test
    void aHostNameIsLookedUp() throws Exception {
        // "localhost" comes from the hosts file; no name server is asked.
        Recorder server = Recorder.echo();
        Listener listener = transport().listen(any(), server).get(5, TimeUnit.SECONDS);
        Recorder client = new Recorder();
        Connection c = transport().dial(new Endpoint("ws", "localhost", listener.endpoint().port(), ""), client)
                .get(5, TimeUnit.SECONDS);
        assertTrue(c.send(new byte[] {7}));
        assertArrayEquals(new byte[] {7}, client.awaitFrame());
    }

    @Test
    void aPeerThatPingsAndNeverReadsGetsOnlyTheLatestPongOnceFramesWait() throws Exception {
        int pings = 200_000;
        List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        int[] pongs = new int[1];
        try (ServerSocket fake = Fixtures.occupy(0)) {
            fake.setReceiveBufferSize(4096);
            Thread peer = fakeServer(fake, s -> {
                // 25 MB of pings, none of the answers read meanwhile: the dialler's socket fills up.
                OutputStream out = new java.io.BufferedOutputStream(s.getOutputStream(), 1 << 16);
                byte[] ping = new byte[125];
                for (int i = 0; i < pings; i++) {
                    out.write(0x89);
                    out.write(125);
                    out.write(ping);
                }
                out.flush();
                s.setSoTimeout(2_000);
                try {
                    while (true) {
                        byte[] f = Fixtures.readClientFrame(s.getInputStream());
                        if ((f[0] & 0x0F) == 0xA) {
                            pongs[0]++;
                        }
                    }
                } catch (IOException drained) {
                    // A read timeout: everything the dialler wrote has been read.
                }
            }, failures);
            Recorder client = new Recorder();
            transport().dial(at(fake.getLocalPort()), client).get(5, TimeUnit.SECONDS);
            peer.join(30_000);
            assertEquals(List.of(), failures);
        }
        // What the socket buffers took before they filled, plus one: not one pong per ping.
        assertTrue(pongs[0] > 0 && pongs[0] < pings / 2, pongs[0] + " pongs for " + pings + " pings");
    }

    @Test
    void abortReportsTheCloseOnce() throws Exception {
        Listener listener = transport().listen(any(), Recorder.echo()).get(5, TimeUnit.SECONDS);
        Recorder client = new Recorder();
        Connection c = transport().dial(listener.endpoint(), client).get(5, TimeUnit.SECONDS);
        ((ClientConnection) c).abort();
        client.assertClose(1006, false);
        assertFalse(c.isOpen());
        ((ClientConnection) c).abort();
        client.assertClean();
    }

    /** Writes an unmasked frame; {@code head} is the first byte (FIN bit and opcode). */
    private static void writeServerFrame(OutputStream out, int head, byte[] payload) throws IOException {
        out.write(head);
        out.write(payload.length);
        out.write(payload);
        out.flush();
    }
}
