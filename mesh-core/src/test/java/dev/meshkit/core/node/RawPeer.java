package dev.meshkit.core.node;

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
import dev.meshkit.core.gossip.EnvelopeSigning;
import java.security.SecureRandom;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A hand-driven peer for protocol tests: it speaks the wire protocol frame by frame, so tests can
 * complete a handshake and then misbehave (go silent, send garbage, forge messages).
 */
public final class RawPeer implements ConnectionHandler, AutoCloseable {
    /** The codec a node picks by default, so this peer speaks what the node under test speaks. */
    public final Codec codec = java.util.ServiceLoader.load(CodecProvider.class).stream()
            .map(java.util.ServiceLoader.Provider::get)
            .max(java.util.Comparator.comparingInt(CodecProvider::priority)).orElseThrow()
            .create(FrameLimits.defaults());
    public final KeyMaterial keys = Identities.generate("ed25519");
    public final Signer signer = Identities.scheme("ed25519").signer(keys);
    public final BlockingQueue<Frame> received = new LinkedBlockingQueue<>();
    public final CompletableFuture<Integer> closeCode = new CompletableFuture<>();
    public volatile boolean answerPings = true;
    /** Frames per bundle, for each bundle received. */
    public final java.util.List<Integer> bundleSizes = new java.util.concurrent.CopyOnWriteArrayList<>();
    private Connection connection;

    /** Opens a connection to {@code target}. */
    public static RawPeer dial(Transport transport, Endpoint target) throws Exception {
        RawPeer p = new RawPeer();
        p.connection = transport.dial(target, p).get(5, TimeUnit.SECONDS);
        return p;
    }

    /** Runs the dialler's side of the handshake and returns the listener's id. */
    public NodeId handshake(String network) throws Exception {
        return handshake(network, -1);
    }

    /** The same, telling the listener it has {@code links} neighbours (0 asks a full node for room). */
    public NodeId handshake(String network, int links) throws Exception {
        byte[] challenge = new byte[32];
        new SecureRandom().nextBytes(challenge);
        send(new Frame.Hello(CoreNode.PROTOCOL_VERSION, network, "ed25519", keys.publicKey(), challenge, null, links));
        Frame.Welcome w = expect(Frame.Welcome.class);
        NodeId listener = NodeId.ofPublicKey(w.publicKey());
        send(new Frame.Auth(signer.sign(HandshakeProofs.auth(network, CoreNode.PROTOCOL_VERSION, challenge,
                keys.nodeId(), listener, w.challenge()))));
        return listener;
    }

    public void send(Frame f) {
        sendRaw(codec.encode(f));
    }

    public boolean sendRaw(byte[] bytes) {
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
            java.util.List<byte[]> parts = codec.unbundle(bytes);
            if (parts != null) {
                bundleSizes.add(parts.size());
            }
            for (byte[] part : parts != null ? parts : java.util.List.of(bytes)) {
                Frame f = codec.decode(part);
                if (f instanceof Frame.Ping && answerPings) {
                    c.send(codec.encode(new Frame.Pong(((Frame.Ping) f).nonce())));
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
