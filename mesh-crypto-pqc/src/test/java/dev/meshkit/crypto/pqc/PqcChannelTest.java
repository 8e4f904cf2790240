package dev.meshkit.crypto.pqc;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshkit.api.ChannelSettings;
import dev.meshkit.api.HandshakeRefusedException;
import dev.meshkit.api.Mesh;
import dev.meshkit.api.MeshBuilder;
import dev.meshkit.api.MeshNode;
import dev.meshkit.api.Message;
import dev.meshkit.api.PeerInfo;
import dev.meshkit.api.RefusalReason;
import dev.meshkit.api.spi.Codec;
import dev.meshkit.api.spi.Connection;
import dev.meshkit.api.spi.ConnectionHandler;
import dev.meshkit.api.spi.Transport;
import dev.meshkit.api.wire.Frame;
import dev.meshkit.api.wire.FrameLimits;
import dev.meshkit.core.MemNetwork;
import dev.meshkit.core.codec.BinaryCodecProvider;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Post-quantum links between whole nodes: on the wire, against a relay that downgrades, and by policy. */
class PqcChannelTest {
    private static final String HYBRID = HybridChannelProvider.NAME;
    private static final String CLASSIC = "x25519-aes256gcm";
    private final MemNetwork net = new MemNetwork();
    private final List<MeshNode> nodes = new ArrayList<>();
    private final List<AutoCloseable> closers = new ArrayList<>();

    @AfterEach
    void stopAll() throws Exception {
        nodes.forEach(n -> n.stop().join());
        for (AutoCloseable c : closers) {
            c.close();
        }
    }

    private MeshNode start(MeshBuilder b) {
        MeshNode n = b.build();
        nodes.add(n);
        n.start().join();
        return n;
    }

    private MeshBuilder mem(String name) {
        return Mesh.builder().transport(net.transport()).listen("mem://" + name);
    }

    private static String suiteOf(MeshNode n) {
        return n.peers().stream().map(PeerInfo::suite).findFirst().orElseThrow();
    }

    /**
     * Two nodes on real WebSockets through a loopback relay that records what the listener sends.
     * Returns what the relay saw after the listener broadcast {@code secret} and the dialler got it.
     */
    private String wireAfterBroadcast(ChannelSettings settings, String secret) throws Exception {
        MeshNode listener = start(Mesh.builder().listen("ws://127.0.0.1:0").channel(settings));
        Sniffer sniffer = new Sniffer(listener.endpoints().get(0).port());
        closers.add(sniffer);
        MeshNode dialer = start(Mesh.builder().listen("ws://127.0.0.1:0").channel(settings));
        List<Message> got = new CopyOnWriteArrayList<>();
        dialer.on("secret", got::add);
        dialer.connect("ws://127.0.0.1:" + sniffer.port()).get(10, TimeUnit.SECONDS);
        await().atMost(10, TimeUnit.SECONDS).until(() -> listener.peers().size() == 1);
        listener.broadcast("secret", secret.getBytes(StandardCharsets.UTF_8));
        await().atMost(10, TimeUnit.SECONDS).until(() -> got.size() == 1);
        return sniffer.fromListener();
    }

    @Test
    void overWebSocketsTheLinkIsHybridAndTheRelayCannotReadIt() throws Exception {
        String wire = wireAfterBroadcast(ChannelSettings.defaults(), "the treasure is under the oak");
        assertEquals(HYBRID, suiteOf(nodes.get(0)));
        assertEquals(HYBRID, suiteOf(nodes.get(1)));
        assertFalse(wire.contains("treasure"), "the payload crossed the relay in clear");
        assertTrue(wire.contains(HYBRID), "the relay saw the handshake");
    }

    @Test
    void theSameRelayReadsAPlaintextLink() throws Exception {
        // The control for the test above: the relay does see what is not encrypted.
        String wire = wireAfterBroadcast(ChannelSettings.plaintext(), "the treasure is under the oak");
        assertTrue(wire.contains("treasure"));
        assertEquals(ChannelSettings.PLAINTEXT, suiteOf(nodes.get(0)));
    }

    @Test
    void aRelayThatStripsThePostQuantumSuiteBreaksTheHandshake() throws Exception {
        MeshNode listener = start(mem("listener"));
        MeshNode dialer = start(mem("dialer"));
        closers.add(new Relay(net.transport(), "mitm", "listener", PqcChannelTest::offerOnlyClassic));
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> dialer.connect("mem://mitm").get(10, TimeUnit.SECONDS));
        assertEquals(RefusalReason.BAD_PROOF, assertInstanceOf(HandshakeRefusedException.class, e.getCause()).reason());
        assertTrue(dialer.peers().isEmpty());
        // The control: the same relay passing frames unchanged lets the link up, hybrid.
        closers.add(new Relay(net.transport(), "honest", "listener", UnaryOperator.identity()));
        assertEquals(listener.id(), dialer.connect("mem://honest").get(10, TimeUnit.SECONDS));
        assertEquals(HYBRID, suiteOf(dialer));
    }

    @Test
    void aNetworkThatRequiresPostQuantumRefusesAClassicalLink() throws Exception {
        start(mem("pq").channel(ChannelSettings.builder().requirePostQuantum(true).build()));
        MeshNode classic = start(mem("classic").channel(ChannelSettings.builder().suite(CLASSIC).build()));
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> classic.connect("mem://pq").get(10, TimeUnit.SECONDS));
        assertEquals(RefusalReason.UNSUPPORTED_SUITE,
                assertInstanceOf(HandshakeRefusedException.class, e.getCause()).reason());
        // Without the requirement, the two would settle on the classical suite both have.
        MeshNode open = start(mem("open"));
        assertEquals(open.id(), classic.connect("mem://open").get(10, TimeUnit.SECONDS));
        assertEquals(CLASSIC, suiteOf(classic));
    }

    /** Rewrites a hello so it offers only the classical suite, as a downgrading relay would. */
    private static byte[] offerOnlyClassic(byte[] frame) {
        Codec codec = new BinaryCodecProvider().create(FrameLimits.defaults());
        try {
            if (!(codec.decode(frame) instanceof Frame.Hello h)) {
                return frame;
            }
            // The offer (docs/protocol.md): a count, then per suite a name (u8 length) and a share (u16 length).
            ByteBuffer in = ByteBuffer.wrap(h.channel());
            int count = in.get();
            for (int i = 0; i < count; i++) {
                int start = in.position();
                byte[] name = new byte[in.get()];
                in.get(name);
                byte[] share = new byte[in.getShort() & 0xffff];
                in.get(share);
                if (new String(name, StandardCharsets.US_ASCII).equals(CLASSIC)) {
                    byte[] only = new byte[1 + in.position() - start];
                    only[0] = 1;
                    System.arraycopy(h.channel(), start, only, 1, only.length - 1);
                    return codec.encode(new Frame.Hello(h.version(), h.network(), h.scheme(), h.publicKey(),
                            h.challenge(), h.listen(), h.links(), only));
                }
            }
            throw new AssertionError("no classical suite offered");
        } catch (dev.meshkit.api.wire.FrameDecodeException e) {
            throw new AssertionError(e);
        }
    }

    /** A man in the middle on the in-memory network: forwards frames, rewriting the dialler's. */
    private static final class Relay implements AutoCloseable {
        private final List<Connection> open = new CopyOnWriteArrayList<>();

        Relay(Transport transport, String name, String target, UnaryOperator<byte[]> rewrite) throws Exception {
            transport.listen(dev.meshkit.api.Endpoint.parse("mem://" + name), new ConnectionHandler() {
                private final java.util.Map<Connection, java.util.concurrent.CompletableFuture<Connection>> peers =
                        new java.util.concurrent.ConcurrentHashMap<>();

                @Override
                public void onOpen(Connection fromDialer) {
                    open.add(fromDialer);
                    peers.put(fromDialer, transport.dial(dev.meshkit.api.Endpoint.parse("mem://" + target),
                            new ConnectionHandler() {
                                @Override
                                public void onOpen(Connection toListener) {
                                    open.add(toListener);
                                }

                                @Override
                                public void onFrame(Connection toListener, byte[] frame) {
                                    fromDialer.send(frame);
                                }

                                @Override
                                public void onClose(Connection c, int code, String reason, boolean remote) {
                                    fromDialer.close(code, reason);
                                }
                            }));
                }

                @Override
                public void onFrame(Connection fromDialer, byte[] frame) {
                    peers.get(fromDialer).join().send(rewrite.apply(frame));
                }

                @Override
                public void onClose(Connection fromDialer, int code, String reason, boolean remote) {
                    peers.get(fromDialer).thenAccept(c -> c.close(code, reason));
                }
            }).get(5, TimeUnit.SECONDS);
        }

        @Override
        public void close() {
            open.forEach(c -> c.close(1001, "relay closed"));
        }
    }

    /** A loopback TCP relay to a listener that keeps a copy of every byte the listener sends. */
    private static final class Sniffer implements AutoCloseable {
        private final ServerSocket server;
        private final ByteArrayOutputStream fromListener = new ByteArrayOutputStream();
        private final List<Socket> sockets = new CopyOnWriteArrayList<>();

        Sniffer(int listenerPort) throws Exception {
            server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            Thread accept = new Thread(() -> {
                try {
                    Socket dialer = server.accept();
                    Socket listener = new Socket(InetAddress.getLoopbackAddress(), listenerPort);
                    sockets.add(dialer);
                    sockets.add(listener);
                    pump(dialer.getInputStream(), listener.getOutputStream(), null);
                    pump(listener.getInputStream(), dialer.getOutputStream(), fromListener);
                } catch (Exception e) {
                    // closed by the test
                }
            }, "sniffer-accept");
            accept.setDaemon(true);
            accept.start();
        }

        int port() {
            return server.getLocalPort();
        }

        String fromListener() {
            synchronized (fromListener) {
                return new String(fromListener.toByteArray(), StandardCharsets.ISO_8859_1);
            }
        }

        private static void pump(InputStream in, OutputStream out, ByteArrayOutputStream copy) {
            Thread t = new Thread(() -> {
                byte[] buf = new byte[16384];
                try {
                    for (int n; (n = in.read(buf)) > 0; ) {
                        if (copy != null) {
                            synchronized (copy) {
                                copy.write(buf, 0, n);
                            }
                        }
                        out.write(buf, 0, n);
                        out.flush();
                    }
                } catch (Exception e) {
                    // one side closed
                }
            }, "sniffer-pump");
            t.setDaemon(true);
            t.start();
        }

        @Override
        public void close() throws Exception {
            server.close();
            for (Socket s : sockets) {
                s.close();
            }
        }
    }
}
