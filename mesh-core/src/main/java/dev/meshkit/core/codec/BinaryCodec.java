package dev.meshkit.core.codec;

import dev.meshkit.api.Endpoint;
import dev.meshkit.api.InvalidEndpointException;
import dev.meshkit.api.MessageId;
import dev.meshkit.api.NodeId;
import dev.meshkit.api.spi.Codec;
import dev.meshkit.api.wire.Envelope;
import dev.meshkit.api.wire.Frame;
import dev.meshkit.api.wire.FrameDecodeException;
import dev.meshkit.api.wire.FrameDecodeException.Problem;
import dev.meshkit.api.wire.FrameLimits;
import dev.meshkit.api.wire.PeerRecord;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A compact binary encoding of the frames: no text to parse, byte arrays carried as they are. The
 * first byte is the frame kind, so the per-kind size limit is checked before anything else is read;
 * every length is checked against the bytes left and the limits before anything is allocated.
 * Layout of each kind: {@code docs/protocol.md}. Stateless and thread-safe.
 */
public final class BinaryCodec implements Codec {
    static final byte HELLO = 1;
    static final byte WELCOME = 2;
    static final byte AUTH = 3;
    static final byte REFUSE = 4;
    static final byte PING = 5;
    static final byte PONG = 6;
    static final byte PEER_REQUEST = 7;
    static final byte PEERS = 8;
    static final byte PUBLISH = 9;
    static final byte BYE = 10;
    static final byte IHAVE = 11;
    static final byte GRAFT = 12;
    static final byte PRUNE = 13;
    /** Not a frame: several encoded frames in one transport message (see {@link #bundle}). */
    static final byte BUNDLE = 14;
    /** Frames in one bundle at most; a bundle is bounded by the overall frame size too. */
    static final int MAX_BUNDLED = 4096;
    static final byte PUZZLE = 15;
    static final byte WORK = 16;
    static final byte JOIN = 17;
    /** Names by kind byte; null for bytes that are no frame kind. */
    private static final String[] KIND_NAMES = {null, "hello", "welcome", "auth", "refuse", "ping", "pong",
        "peer-request", "peers", "publish", "bye", "ihave", "graft", "prune", null, "puzzle", "work", "join"};

    private final FrameLimits limits;

    /** A codec enforcing {@code limits} when decoding. */
    public BinaryCodec(FrameLimits limits) {
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    // ---------------------------------------------------------------- encoding

    @Override
    public byte[] encode(Frame frame) {
        Out out = new Out(sizeHint(frame));
        if (frame instanceof Frame.Publish p) {
            out.u8(PUBLISH);
            if (p.id() == null) {
                out.u8(0);
            } else {
                out.u8(1).i64(p.id().high()).i64(p.id().low());
            }
            Envelope e = Objects.requireNonNull(p.envelope(), "publish.envelope");
            out.str(e.type()).raw(e.origin().bytes());
            if (e.destination() == null) {
                out.u8(0);
            } else {
                out.u8(1).raw(e.destination().bytes());
            }
            out.i64(e.timestamp()).i64(e.sequence()).u8(hop(e.ttl(), "ttl")).u8(hop(e.hops(), "hops"))
                    .bytes(e.payload()).bytes(e.publicKey()).bytes(e.signature());
        } else if (frame instanceof Frame.Ping p) {
            out.u8(PING).i64(p.nonce());
        } else if (frame instanceof Frame.Pong p) {
            out.u8(PONG).i64(p.nonce());
        } else if (frame instanceof Frame.IHave h) {
            out.u8(IHAVE).ids(h.ids());
        } else if (frame instanceof Frame.Graft g) {
            out.u8(GRAFT).ids(g.ids());
        } else if (frame instanceof Frame.Prune p) {
            out.u8(PRUNE).nodeIds(p.origins());
        } else if (frame instanceof Frame.PeerList p) {
            out.u8(PEERS).peers(p.peers());
        } else if (frame instanceof Frame.Join j) {
            out.u8(JOIN).u8(j.ttl()).raw(j.newcomer().id().bytes()).endpoint(j.newcomer().endpoint());
        } else if (frame instanceof Frame.PeerRequest) {
            out.u8(PEER_REQUEST);
        } else if (frame instanceof Frame.Hello h) {
            out.u8(HELLO).i32(h.version()).str(h.network()).str(h.scheme()).bytes(h.publicKey())
                    .bytes(h.challenge()).endpoint(h.listen()).i32(h.links()).optionalBytes(h.channel());
        } else if (frame instanceof Frame.Welcome w) {
            out.u8(WELCOME).i32(w.version()).str(w.network()).str(w.scheme()).bytes(w.publicKey())
                    .bytes(w.challenge()).bytes(w.proof()).endpoint(w.listen()).peers(w.peers())
                    .optionalBytes(w.channel());
        } else if (frame instanceof Frame.Auth a) {
            out.u8(AUTH).bytes(a.proof()).optionalBytes(a.channel());
        } else if (frame instanceof Frame.Refuse r) {
            out.u8(REFUSE).str(r.reason()).optionalStr(r.detail());
        } else if (frame instanceof Frame.Bye b) {
            out.u8(BYE).optionalStr(b.reason());
        } else if (frame instanceof Frame.Puzzle p) {
            out.u8(PUZZLE).bytes(p.seed()).i32(p.bits());
        } else if (frame instanceof Frame.Work w) {
            out.u8(WORK).bytes(w.nonce());
        } else {
            throw new IllegalArgumentException("the binary codec cannot encode " + frame.kind() + " frames");
        }
        return out.toBytes();
    }

    /**
     * The encoded size of the frames sent per message, exact for ASCII types, so that encoding
     * neither grows its buffer nor copies it at the end; a guess for the rest.
     */
    private static int sizeHint(Frame frame) {
        if (frame instanceof Frame.Publish p && p.envelope() != null) {
            Envelope e = p.envelope();
            return 1 + 1 + (p.id() == null ? 0 : 16) + 2 + e.type().length() + NodeId.BYTES
                    + 1 + (e.destination() == null ? 0 : NodeId.BYTES) + 8 + 8 + 1 + 1
                    + 4 + e.payload().length + 4 + e.publicKey().length + 4 + e.signature().length;
        }
        if (frame instanceof Frame.IHave h) {
            return 1 + 2 + h.ids().size() * MessageId.BYTES;
        }
        if (frame instanceof Frame.Graft g) {
            return 1 + 2 + g.ids().size() * MessageId.BYTES;
        }
        return 256;
    }

    private static int hop(int value, String field) {
        if (value < 0 || value > Wire.MAX_HOPS) {
            throw new IllegalArgumentException("publish." + field + " must be 0.." + Wire.MAX_HOPS + ": " + value);
        }
        return value;
    }

    /** A growable big-endian writer; strings are u16-length-prefixed UTF-8, byte arrays u32-prefixed. */
    private static final class Out {
        private ByteBuffer b;

        Out(int capacity) {
            b = ByteBuffer.allocate(capacity);
        }

        private void room(int n) {
            if (b.remaining() < n) {
                ByteBuffer bigger = ByteBuffer.allocate(Math.max(b.capacity() * 2, b.position() + n));
                b.flip();
                bigger.put(b);
                b = bigger;
            }
        }

        Out u8(int v) {
            room(1);
            b.put((byte) v);
            return this;
        }

        Out i32(int v) {
            room(4);
            b.putInt(v);
            return this;
        }

        Out i64(long v) {
            room(8);
            b.putLong(v);
            return this;
        }

        Out raw(byte[] v) {
            room(v.length);
            b.put(v);
            return this;
        }

        Out bytes(byte[] v) {
            Objects.requireNonNull(v, "byte array");
            return i32(v.length).raw(v);
        }

        Out str(String s) {
            byte[] utf8 = Objects.requireNonNull(s, "string").getBytes(StandardCharsets.UTF_8);
            if (utf8.length > 0xFFFF) {
                throw new IllegalArgumentException("string longer than 65535 bytes");
            }
            room(2);
            b.putShort((short) utf8.length);
            return raw(utf8);
        }

        Out optionalBytes(byte[] v) {
            return v == null ? u8(0) : u8(1).bytes(v);
        }

        Out optionalStr(String s) {
            return s == null ? u8(0) : u8(1).str(s);
        }

        Out endpoint(Endpoint e) {
            return optionalStr(e == null ? null : e.toString());
        }

        Out ids(List<MessageId> ids) {
            return fixed(ids, MessageId.BYTES, (buf, id) -> buf.putLong(id.high()).putLong(id.low()));
        }

        Out nodeIds(List<NodeId> ids) {
            return fixed(ids, NodeId.BYTES, (buf, id) -> buf.put(id.bytes()));
        }

        /** A u16 count, then each item in {@code size} bytes. */
        private <T> Out fixed(List<T> items, int size, java.util.function.BiConsumer<ByteBuffer, T> put) {
            if (items.size() > 0xFFFF) {
                throw new IllegalArgumentException("more than 65535 list entries");
            }
            room(2 + items.size() * size);
            b.putShort((short) items.size());
            for (T item : items) {
                put.accept(b, item);
            }
            return this;
        }

        Out peers(List<PeerRecord> peers) {
            if (peers.size() > 0xFFFF) {
                throw new IllegalArgumentException("more than 65535 peer records");
            }
            room(2);
            b.putShort((short) peers.size());
            for (PeerRecord p : peers) {
                if (p.id() == null) {
                    u8(0);
                } else {
                    u8(1).raw(p.id().bytes());
                }
                str(p.endpoint().toString());
            }
            return this;
        }

        byte[] toBytes() {
            if (b.position() == b.capacity()) {
                return b.array();
            }
            byte[] out = new byte[b.position()];
            b.flip();
            b.get(out);
            return out;
        }
    }

    // ---------------------------------------------------------------- decoding

    @Override
    public Frame decode(byte[] bytes) throws FrameDecodeException {
        if (bytes.length == 0) {
            throw new FrameDecodeException(Problem.MALFORMED, "empty frame");
        }
        if (bytes.length > limits.maxFrameBytes()) {
            throw new FrameDecodeException(Problem.TOO_LARGE, bytes.length + " bytes > " + limits.maxFrameBytes());
        }
        int kind = bytes[0];
        if (kind < 1 || kind >= KIND_NAMES.length || KIND_NAMES[kind] == null) {
            throw new FrameDecodeException(Problem.UNKNOWN_KIND, "kind byte " + (kind & 0xFF));
        }
        int limit = limits.limitFor(KIND_NAMES[kind]);
        if (bytes.length > limit) {
            throw new FrameDecodeException(Problem.TOO_LARGE, KIND_NAMES[kind] + " of " + bytes.length + " bytes > "
                    + limit);
        }
        In in = new In(ByteBuffer.wrap(bytes, 1, bytes.length - 1), limits);
        try {
            Frame f = read(kind, in);
            if (in.b.hasRemaining()) {
                throw new FrameDecodeException(Problem.MALFORMED, in.b.remaining() + " bytes after the frame");
            }
            return f;
        } catch (BufferUnderflowException e) {
            throw new FrameDecodeException(Problem.MALFORMED, "frame ends early");
        } catch (RuntimeException e) {
            // A value the records refuse (they validate themselves); never let it escape as a crash.
            throw new FrameDecodeException(Problem.INVALID_FIELD, e.getClass().getSimpleName() + ": "
                    + Texts.quote(String.valueOf(e.getMessage())));
        }
    }

    private static Frame read(int kind, In in) throws FrameDecodeException {
        switch (kind) {
            case PUBLISH: {
                MessageId id = in.flag() ? new MessageId(in.b.getLong(), in.b.getLong()) : null;
                String type = in.str("type"); // its form is the node's rule, as with every codec
                NodeId origin = in.nodeId();
                NodeId destination = in.flag() ? in.nodeId() : null;
                long timestamp = in.b.getLong();
                long sequence = in.b.getLong();
                int ttl = in.b.get() & 0xFF;
                int hops = in.b.get() & 0xFF;
                byte[] payload = in.bytes("payload", in.limits.maxPayloadBytes());
                byte[] publicKey = in.bytes("public key", in.limits.maxStringLength());
                byte[] signature = in.bytes("signature", in.limits.maxStringLength());
                return new Frame.Publish(new Envelope(type, origin, destination, timestamp, sequence, ttl, hops,
                        payload, publicKey, signature), id);
            }
            case IHAVE:
                return new Frame.IHave(in.ids());
            case GRAFT:
                return new Frame.Graft(in.ids());
            case PRUNE:
                return new Frame.Prune(in.nodeIds());
            case PING:
                return new Frame.Ping(in.b.getLong());
            case PONG:
                return new Frame.Pong(in.b.getLong());
            case PEERS:
                return new Frame.PeerList(in.peers());
            case JOIN: {
                int ttl = in.b.get() & 0xFF;
                NodeId newcomer = in.nodeId();
                Endpoint at = in.endpoint();
                if (at == null) {
                    throw new FrameDecodeException(Problem.INVALID_FIELD, "a join without the newcomer's endpoint");
                }
                return new Frame.Join(new PeerRecord(newcomer, at), ttl);
            }
            case PEER_REQUEST:
                return new Frame.PeerRequest();
            case HELLO:
                return new Frame.Hello(in.version(), in.str("network"), in.str("scheme"),
                        in.bytes("public key", in.limits.maxStringLength()),
                        in.bytes("challenge", in.limits.maxStringLength()), in.endpoint(), in.links(),
                        in.optionalBytes("channel"));
            case WELCOME:
                return new Frame.Welcome(in.version(), in.str("network"), in.str("scheme"),
                        in.bytes("public key", in.limits.maxStringLength()),
                        in.bytes("challenge", in.limits.maxStringLength()),
                        in.bytes("proof", in.limits.maxStringLength()), in.endpoint(), in.peers(),
                        in.optionalBytes("channel"));
            case AUTH:
                return new Frame.Auth(in.bytes("proof", in.limits.maxStringLength()), in.optionalBytes("channel"));
            case REFUSE:
                return new Frame.Refuse(in.str("reason"), in.flag() ? in.str("detail") : null);
            case BYE:
                return new Frame.Bye(in.flag() ? in.str("reason") : null);
            case PUZZLE:
                return new Frame.Puzzle(in.bytes("seed", Wire.MAX_WORK_BYTES), in.bits());
            case WORK:
                return new Frame.Work(in.bytes("nonce", Wire.MAX_WORK_BYTES));
            default:
                throw new FrameDecodeException(Problem.UNKNOWN_KIND, "kind byte " + kind);
        }
    }

    /** A bounds-checked reader: every length is checked before anything is allocated for it. */
    private static final class In {
        final ByteBuffer b;
        final FrameLimits limits;

        In(ByteBuffer b, FrameLimits limits) {
            this.b = b;
            this.limits = limits;
        }

        boolean flag() throws FrameDecodeException {
            byte f = b.get();
            if (f != 0 && f != 1) {
                throw new FrameDecodeException(Problem.INVALID_FIELD, "presence flag " + f);
            }
            return f == 1;
        }

        byte[] raw(int n) {
            byte[] out = new byte[n];
            b.get(out);
            return out;
        }

        int version() throws FrameDecodeException {
            int v = b.getInt();
            if (v < 0) {
                throw new FrameDecodeException(Problem.INVALID_FIELD, "negative version");
            }
            return v;
        }

        int bits() throws FrameDecodeException {
            int v = b.getInt();
            if (v < 0 || v > Wire.MAX_WORK_BITS) {
                throw new FrameDecodeException(Problem.INVALID_FIELD, "puzzle bits " + v);
            }
            return v;
        }

        int links() throws FrameDecodeException {
            int v = b.getInt();
            if (v < -1 || v > 65_535) {
                throw new FrameDecodeException(Problem.INVALID_FIELD, "links " + v);
            }
            return v;
        }

        byte[] optionalBytes(String field) throws FrameDecodeException {
            return flag() ? bytes(field, limits.maxStringLength()) : null;
        }

        byte[] bytes(String field, int max) throws FrameDecodeException {
            int n = b.getInt();
            if (n < 0 || n > b.remaining()) {
                throw new FrameDecodeException(Problem.MALFORMED, field + " length " + n + " exceeds the frame");
            }
            if (n > max) {
                throw new FrameDecodeException(Problem.TOO_LARGE, field + " of " + n + " bytes > " + max);
            }
            return raw(n);
        }

        String str(String field) throws FrameDecodeException {
            int n = b.getShort() & 0xFFFF;
            if (n > b.remaining()) {
                throw new FrameDecodeException(Problem.MALFORMED, field + " length " + n + " exceeds the frame");
            }
            if (n > limits.maxStringLength()) {
                throw new FrameDecodeException(Problem.TOO_LONG, field + " of " + n + " bytes");
            }
            ByteBuffer slice = b.slice();
            slice.limit(n);
            b.position(b.position() + n);
            try {
                return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(slice).toString();
            } catch (CharacterCodingException e) {
                throw new FrameDecodeException(Problem.MALFORMED, field + " is not UTF-8");
            }
        }

        NodeId nodeId() {
            return NodeId.fromBytes(raw(NodeId.BYTES));
        }

        Endpoint endpoint() throws FrameDecodeException {
            if (!flag()) {
                return null;
            }
            String text = str("endpoint");
            try {
                return Endpoint.parse(text);
            } catch (InvalidEndpointException e) {
                throw new FrameDecodeException(Problem.INVALID_FIELD, "bad endpoint " + Texts.quote(text));
            }
        }

        List<MessageId> ids() throws FrameDecodeException {
            return fixed("message ids", MessageId.BYTES, () -> new MessageId(b.getLong(), b.getLong()));
        }

        List<NodeId> nodeIds() throws FrameDecodeException {
            return fixed("node ids", NodeId.BYTES, this::nodeId);
        }

        /** A u16 count, then that many items of {@code size} bytes; both checked before allocating. */
        private <T> List<T> fixed(String what, int size, java.util.function.Supplier<T> read)
                throws FrameDecodeException {
            int n = b.getShort() & 0xFFFF;
            if (n > limits.maxArrayLength()) {
                throw new FrameDecodeException(Problem.TOO_LONG, n + " " + what);
            }
            if ((long) n * size > b.remaining()) {
                throw new FrameDecodeException(Problem.MALFORMED, n + " " + what + " exceed the frame");
            }
            List<T> out = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                out.add(read.get());
            }
            return out;
        }

        List<PeerRecord> peers() throws FrameDecodeException {
            int n = b.getShort() & 0xFFFF;
            if (n > limits.maxArrayLength()) {
                throw new FrameDecodeException(Problem.TOO_LONG, n + " peer records");
            }
            List<PeerRecord> out = new ArrayList<>(Math.min(n, 64));
            for (int i = 0; i < n; i++) {
                NodeId id = flag() ? nodeId() : null;
                String text = str("endpoint");
                try {
                    out.add(new PeerRecord(id, Endpoint.parse(text)));
                } catch (InvalidEndpointException e) {
                    // One bad entry must not cost the rest of the list.
                }
            }
            return out;
        }
    }

    // ---------------------------------------------------------------- bundles

    /** Kind byte {@value #BUNDLE}, then for each frame its {@code i32} length and its bytes. */
    @Override
    public byte[] bundle(List<byte[]> frames) {
        int size = 1;
        for (byte[] f : frames) {
            if (f.length == 0 || f[0] == BUNDLE) {
                throw new IllegalArgumentException("only whole frames can be bundled");
            }
            size += 4 + f.length;
        }
        if (frames.size() > MAX_BUNDLED) {
            throw new IllegalArgumentException("more than " + MAX_BUNDLED + " frames in one bundle");
        }
        ByteBuffer b = ByteBuffer.allocate(size);
        b.put(BUNDLE);
        for (byte[] f : frames) {
            b.putInt(f.length).put(f);
        }
        return b.array();
    }

    @Override
    public List<byte[]> unbundle(byte[] bytes) throws FrameDecodeException {
        if (bytes.length == 0 || bytes[0] != BUNDLE) {
            return null;
        }
        if (bytes.length > limits.maxFrameBytes()) {
            throw new FrameDecodeException(Problem.TOO_LARGE, "bundle of " + bytes.length + " bytes > "
                    + limits.maxFrameBytes());
        }
        ByteBuffer b = ByteBuffer.wrap(bytes, 1, bytes.length - 1);
        List<byte[]> frames = new ArrayList<>();
        while (b.hasRemaining()) {
            if (b.remaining() < 4) {
                throw new FrameDecodeException(Problem.MALFORMED, "bundle ends inside a length");
            }
            int n = b.getInt();
            if (n <= 0 || n > b.remaining()) {
                throw new FrameDecodeException(Problem.MALFORMED, "bundled frame length " + n
                        + " does not fit the bundle");
            }
            if (b.get(b.position()) == BUNDLE) {
                throw new FrameDecodeException(Problem.MALFORMED, "a bundle inside a bundle");
            }
            if (frames.size() == MAX_BUNDLED) {
                throw new FrameDecodeException(Problem.TOO_LONG, "more than " + MAX_BUNDLED + " bundled frames");
            }
            byte[] f = new byte[n];
            b.get(f);
            frames.add(f);
        }
        if (frames.isEmpty()) {
            throw new FrameDecodeException(Problem.MALFORMED, "empty bundle");
        }
        return frames;
    }

    // ---------------------------------------------------------------- peeking

    @Override
    public MessageId peekMessageId(byte[] bytes) {
        if (bytes.length < 2 + MessageId.BYTES || bytes[0] != PUBLISH || bytes[1] != 1) {
            return null;
        }
        return MessageId.fromBytes(bytes, 2);
    }

    @Override
    public String toString() {
        return "BinaryCodec" + limits;
    }
}
