package dev.meshkit.core.node;

import dev.meshkit.api.ChannelSettings;
import dev.meshkit.api.Endpoint;
import dev.meshkit.api.NodeId;
import dev.meshkit.api.spi.Codec;
import dev.meshkit.api.spi.CodecProvider;
import dev.meshkit.api.spi.Connection;
import dev.meshkit.api.spi.ConnectionHandler;
import dev.meshkit.api.spi.KeyMaterial;
import dev.meshkit.api.spi.Signer;
import dev.meshkit.api.spi.Transport;
import dev.meshkit.api.wire.Envelope;
import dev.meshkit.api.wire.Frame;
import dev.meshkit.api.wire.FrameLimits;
import dev.meshkit.core.Identities;
import dev.meshkit.core.channel.ChannelSuites;
import dev.meshkit.core.channel.KeySchedule;
import dev.meshkit.core.channel.RecordOpener;
import dev.meshkit.core.channel.RecordSealer;
import dev.meshkit.core.channel.Records;
import dev.meshkit.core.channel.X25519ChannelProvider;
import dev.meshkit.core.defence.Puzzle;
import dev.meshkit.core.gossip.EnvelopeSigning;
import java.security.SecureRandom;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A hand-driven peer for protocol tests: it speaks the wire protocol frame by frame, so tests can
 * complete a handshake and then misbehave (go silent, send garbage, forge messages, tamper with
 * records). It encrypts its link with the built-in X25519 suite, as a node does by default.
 */
public final class RawPeer implements ConnectionHandler, AutoCloseable {
    /** The protocol version nodes speak, for tests outside this package. */
    public static final int VERSION = CoreNode.PROTOCOL_VERSION;

    /** The codec a node picks by default, so this peer speaks what the node under test speaks. */
    public final Codec codec = java.util.ServiceLoader.load(CodecProvider.class).stream()
            .map(java.util.ServiceLoader.Provider::get)
            .max(java.util.Comparator.comparingInt(CodecProvider::priority)).orElseThrow()
            .create(FrameLimits.defaults());
    public final KeyMaterial keys;
    public final Signer signer;
    public final BlockingQueue<Frame> received = new LinkedBlockingQueue<>();
    /** Frames this peer's codec could not read. */
    public final BlockingQueue<byte[]> undecodable = new LinkedBlockingQueue<>();
    public final CompletableFuture<Integer> closeCode = new CompletableFuture<>();
    public volatile boolean answerPings = true;
    /** Whether a listener's puzzle is solved and answered at once, as a node does. */
    public volatile boolean solvePuzzles = true;
    /** While set and not counted down, the transport thread delivering to this peer waits: a peer that stops reading. */
    public volatile java.util.concurrent.CountDownLatch stalled;
    private volatile Frame.Hello lastHello;
    /** Frames per bundle, for each bundle received. */
    public final java.util.List<Integer> bundleSizes = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** Records received and opened, and the last one as it came. */
    public final java.util.concurrent.atomic.AtomicInteger recordsOpened = new java.util.concurrent.atomic.AtomicInteger();
    private final ChannelSuites suites = ChannelSuites.of(ChannelSettings.defaults(),
            java.util.List.of(new X25519ChannelProvider()));
    private ChannelSuites.Offer offer;
    private byte[] offerBytes;
    private byte[] helloHints;
    private RecordSealer sealer;
    private RecordOpener opener;
    private Connection connection;

    /** A peer with a new identity, not connected: for tests that only use its codec and keys. */
    public RawPeer() {
        this(Identities.generate("ed25519"));
    }

    private RawPeer(KeyMaterial keys) {
        this.keys = keys;
        this.signer = Identities.scheme("ed25519").signer(keys);
    }

    /** Opens a connection to {@code target}, with a new identity. */
    public static RawPeer dial(Transport transport, Endpoint target) throws Exception {
        return dial(transport, target, Identities.generate("ed25519"));
    }

    /** Opens a connection to {@code target} as the node whose keys these are. */
    public static RawPeer dial(Transport transport, Endpoint target, KeyMaterial keys) throws Exception {
        RawPeer p = new RawPeer(keys);
        p.connection = transport.dial(target, p).get(5, TimeUnit.SECONDS);
        return p;
    }

    /** Runs the dialler's side of the handshake and returns the listener's id. */
    public NodeId handshake(String network) throws Exception {
        return handshake(network, -1);
    }

    /** The same, telling the listener it has {@code links} neighbours (0 asks a full node for room). */
    public NodeId handshake(String network, int links) throws Exception {
        return handshake(network, links, null);
    }

    /** The same, also saying where this peer listens. */
    public NodeId handshake(String network, int links, Endpoint listen) throws Exception {
        byte[] challenge = challenge();
        send(hello(CoreNode.PROTOCOL_VERSION, network, "ed25519", keys.publicKey(), challenge, listen, links));
        return complete(network, challenge, expect(Frame.Welcome.class));
    }

    /** The next frame of {@code type} within {@code seconds}, skipping others; null if none came. */
    public <T extends Frame> T next(Class<T> type, long seconds) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        for (long left; (left = end - System.nanoTime()) > 0; ) {
            Frame f = received.poll(left, TimeUnit.NANOSECONDS);
            if (type.isInstance(f)) {
                return type.cast(f);
            }
        }
        return null;
    }

    /** This peer's hello on {@code network} with {@code challenge}, saying nothing of its links. */
    public Frame.Hello hello(String network, byte[] challenge) {
        return hello(VERSION, network, "ed25519", keys.publicKey(), challenge, null, -1);
    }

    /** A hello with a fresh channel offer. */
    public Frame.Hello hello(int version, String network, String scheme, byte[] publicKey, byte[] challenge,
                             Endpoint listen, int links) {
        offer = suites.offer();
        offerBytes = offer.bytes();
        helloHints = HandshakeProofs.helloHints(listen, links);
        return new Frame.Hello(version, network, scheme, publicKey, challenge, listen, links, offerBytes);
    }

    /** The transcript hash of this peer's last hello and the welcome that answered it. */
    public byte[] transcript(String network, byte[] challenge, Frame.Welcome w) {
        byte[] answer = java.util.Arrays.copyOf(w.channel(), w.channel().length - 32);
        return HandshakeProofs.transcriptHash(network, CoreNode.PROTOCOL_VERSION, challenge, keys.nodeId(),
                NodeId.ofPublicKey(w.publicKey()), w.challenge(), offerBytes, answer, helloHints,
                HandshakeProofs.welcomeHints(w.listen(), w.peers()));
    }

    /** Sends the auth that completes the handshake the last hello opened, and switches to records. */
    public NodeId complete(String network, byte[] challenge, Frame.Welcome w) throws Exception {
        byte[] transcript = transcript(network, challenge, w);
        ChannelSuites.Agreement agreed = offer.finish(java.util.Arrays.copyOf(w.channel(), w.channel().length - 32));
        KeySchedule linkKeys = KeySchedule.derive(agreed.secret(), null, transcript);
        synchronized (this) {
            opener = linkKeys.opener(true);
        }
        send(new Frame.Auth(signer.sign(HandshakeProofs.auth(transcript)), linkKeys.confirmation(true)));
        synchronized (this) {
            sealer = linkKeys.sealer(true, ChannelSettings.defaults(), () -> System.nanoTime() / 1_000_000);
        }
        return NodeId.ofPublicKey(w.publicKey());
    }

    public static byte[] challenge() {
        byte[] c = new byte[32];
        new SecureRandom().nextBytes(c);
        return c;
    }

    public void send(Frame f) {
        if (f instanceof Frame.Hello h) {
            lastHello = h; // what a puzzle for this hello is bound to
        }
        sendRaw(codec.encode(f));
    }

    /** Sends frame bytes, sealed once the handshake is done. */
    public synchronized boolean sendRaw(byte[] bytes) {
        return connection.send(sealer == null ? bytes : sealer.seal(bytes));
    }

    /** Seals frame bytes into the next record without sending it. */
    public synchronized byte[] seal(byte[] bytes) {
        return sealer.seal(bytes);
    }

    /** Sends bytes exactly as given: a record made earlier, a tampered one, or plaintext. */
    public boolean sendWire(byte[] bytes) {
        return connection.send(bytes);
    }

    /** The next frame of type {@code type}, skipping pings (answered) and other frames. */
    public <T extends Frame> T expect(Class<T> type) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline) {
            Frame f = received.poll(100, TimeUnit.MILLISECONDS);
            if (type.isInstance(f)) {
                return type.cast(f);
            }
        }
        throw new AssertionError("no " + type.getSimpleName() + " within 5 s");
    }

    /** A signed envelope from this peer, stamped now unless {@code timestamp} says otherwise. */
    public Envelope envelope(String type, long timestamp, long sequence, byte[] payload) {
        Envelope unsigned = new Envelope(type, keys.nodeId(), null, timestamp, sequence, 0, 0, payload,
                keys.publicKey(), new byte[0]);
        byte[] sig = signer.sign(EnvelopeSigning.signedBytes(unsigned));
        return new Envelope(type, keys.nodeId(), null, timestamp, sequence, 0, 0, payload, keys.publicKey(), sig);
    }

    public boolean isOpen() {
        return connection.isOpen();
    }

    @Override
    public void onOpen(Connection c) {
    }

    @Override
    public void onFrame(Connection c, byte[] bytes) {
        try {
            java.util.concurrent.CountDownLatch stall = stalled;
            if (stall != null) {
                stall.await();
            }
            if (Records.isRecord(bytes)) {
                synchronized (this) {
                    bytes = opener.open(bytes);
                }
                recordsOpened.incrementAndGet();
            }
            java.util.List<byte[]> parts = codec.unbundle(bytes);
            if (parts != null) {
                bundleSizes.add(parts.size());
            }
            for (byte[] part : parts != null ? parts : java.util.List.of(bytes)) {
                Frame f;
                try {
                    f = codec.decode(part);
                } catch (dev.meshkit.api.wire.FrameDecodeException e) {
                    undecodable.add(part); // another codec's frame, say: kept for the test to look at
                    continue;
                }
                if (f instanceof Frame.Ping && answerPings) {
                    sendRaw(codec.encode(new Frame.Pong(((Frame.Ping) f).nonce())));
                }
                Frame.Hello h = lastHello;
                if (f instanceof Frame.Puzzle p && solvePuzzles && h != null) {
                    send(new Frame.Work(Puzzle.solve(p.seed(), h.challenge(), NodeId.ofPublicKey(h.publicKey()),
                            p.bits(), () -> false)));
                }
                received.add(f);
            }
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Override
    public void onClose(Connection c, int code, String reason, boolean remote) {
        closeCode.complete(code);
    }

    @Override
    public void close() {
        connection.close(1000, "done");
    }
}
