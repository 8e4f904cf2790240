package dev.meshkit.core.codec;

import com.google.gson.Strictness;
import com.google.gson.stream.JsonWriter;
import dev.meshkit.api.Endpoint;
import dev.meshkit.api.MessageId;
import dev.meshkit.api.NodeId;
import dev.meshkit.api.wire.Envelope;
import dev.meshkit.api.wire.Frame;
import dev.meshkit.api.wire.PeerRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/**
 * Writes one frame as one JSON object with {@code "k"} first.
 *
 * <p>Refuses frames the decoder would refuse (missing required fields, ttl or hops outside 0..255,
 * negative version), so a bug in the node shows up at the sender instead of as a mysterious
 * INVALID_FIELD at every neighbour. Optional fields that are {@code null} are left out rather than
 * written as {@code null}: it saves bytes on every broadcast and the decoder treats both the same.
 */
final class JsonFrameWriter {
    private static final Base64.Encoder BASE64 = Base64.getEncoder();

    private JsonFrameWriter() {
    }

    static byte[] encode(Frame frame) {
        if (frame == null) {
            throw new IllegalArgumentException("frame is null");
        }
        StringBuilderWriter text = new StringBuilderWriter(sizeHint(frame));
        try {
            JsonWriter out = new JsonWriter(text);
            out.setStrictness(Strictness.STRICT);
            // Peers are not browsers: escaping <, > and & would only inflate frames.
            out.setHtmlSafe(false);
            out.beginObject();
            out.name(Wire.K).value(frame.kind());
            writeBody(out, frame);
            out.endObject();
            out.close();
        } catch (IOException e) {
            // The sink is in memory; only a broken JsonWriter contract could get here.
            throw new UncheckedIOException(e);
        }
        return text.toUtf8();
    }

    private static void writeBody(JsonWriter out, Frame frame) throws IOException {
        // Java 17 has no pattern matching for switch; the chain is ordered by traffic volume.
        if (frame instanceof Frame.Publish p) {
            if (p.id() != null) {
                out.name(Wire.MESSAGE_ID).value(p.id().hex());
            }
            writeEnvelope(out, required(p.envelope(), "publish", "envelope"));
        } else if (frame instanceof Frame.Ping p) {
            out.name(Wire.NONCE).value(p.nonce());
        } else if (frame instanceof Frame.Pong p) {
            out.name(Wire.NONCE).value(p.nonce());
        } else if (frame instanceof Frame.IHave h) {
            writeIds(out, h.ids());
        } else if (frame instanceof Frame.Graft g) {
            writeIds(out, g.ids());
        } else if (frame instanceof Frame.Prune p) {
            out.name(Wire.ORIGINS).beginArray();
            for (NodeId origin : p.origins()) {
                out.value(origin.hex());
            }
            out.endArray();
        } else if (frame instanceof Frame.PeerList p) {
            writePeers(out, p.peers());
        } else if (frame instanceof Frame.Join j) {
            out.name(Wire.NEWCOMER);
            writePeer(out, j.newcomer());
            out.name(Wire.TTL).value(j.ttl());
        } else if (frame instanceof Frame.PeerRequest) {
            // No members besides the kind.
        } else if (frame instanceof Frame.Hello h) {
            writeVersion(out, h.version(), "hello");
            out.name(Wire.NETWORK).value(required(h.network(), "hello", "network"));
            out.name(Wire.SCHEME).value(required(h.scheme(), "hello", "scheme"));
            out.name(Wire.PUBLIC_KEY).value(base64(h.publicKey(), "hello", "publicKey"));
            out.name(Wire.CHALLENGE).value(base64(h.challenge(), "hello", "challenge"));
            writeOptionalEndpoint(out, h.listen());
            if (h.links() >= 0) {
                out.name(Wire.LINKS).value(h.links());
            }
            writeOptionalChannel(out, h.channel());
        } else if (frame instanceof Frame.Welcome w) {
            writeVersion(out, w.version(), "welcome");
            out.name(Wire.NETWORK).value(required(w.network(), "welcome", "network"));
            out.name(Wire.SCHEME).value(required(w.scheme(), "welcome", "scheme"));
            out.name(Wire.PUBLIC_KEY).value(base64(w.publicKey(), "welcome", "publicKey"));
            out.name(Wire.CHALLENGE).value(base64(w.challenge(), "welcome", "challenge"));
            out.name(Wire.PROOF).value(base64(w.proof(), "welcome", "proof"));
            writeOptionalEndpoint(out, w.listen());
            writePeers(out, w.peers());
            writeOptionalChannel(out, w.channel());
        } else if (frame instanceof Frame.Auth a) {
            out.name(Wire.PROOF).value(base64(a.proof(), "auth", "proof"));
            writeOptionalChannel(out, a.channel());
        } else if (frame instanceof Frame.Refuse r) {
            out.name(Wire.REASON).value(required(r.reason(), "refuse", "reason"));
            if (r.detail() != null) {
                out.name(Wire.DETAIL).value(r.detail());
            }
        } else if (frame instanceof Frame.Bye b) {
            if (b.reason() != null) {
                out.name(Wire.REASON).value(b.reason());
            }
        } else if (frame instanceof Frame.Puzzle p) {
            out.name(Wire.SEED).value(base64(p.seed(), "puzzle", "seed"));
            out.name(Wire.BITS).value(p.bits());
        } else if (frame instanceof Frame.Work w) {
            out.name(Wire.WORK_NONCE).value(base64(w.nonce(), "work", "nonce"));
        } else {
            // Frame is sealed, so this only happens if mesh-api grows a kind and this codec does not.
            throw new IllegalArgumentException("the json codec cannot encode " + frame.kind() + " frames");
        }
    }

    private static void writeEnvelope(JsonWriter out, Envelope e) throws IOException {
        out.name(Wire.TYPE).value(required(e.type(), "publish", "type"));
        out.name(Wire.ORIGIN).value(required(e.origin(), "publish", "origin").hex());
        NodeId destination = e.destination();
        if (destination != null) {
            out.name(Wire.DESTINATION).value(destination.hex());
        }
        out.name(Wire.TIMESTAMP).value(e.timestamp());
        out.name(Wire.SEQUENCE).value(e.sequence());
        out.name(Wire.TTL).value(hopCount(e.ttl(), "ttl"));
        out.name(Wire.HOPS).value(hopCount(e.hops(), "hops"));
        out.name(Wire.PAYLOAD).value(base64(e.payload(), "publish", "payload"));
        out.name(Wire.PUBLIC_KEY).value(base64(e.publicKey(), "publish", "publicKey"));
        out.name(Wire.SIGNATURE).value(base64(e.signature(), "publish", "signature"));
    }

    private static void writeIds(JsonWriter out, List<MessageId> ids) throws IOException {
        out.name(Wire.MESSAGE_IDS).beginArray();
        for (MessageId id : ids) {
            out.value(id.hex());
        }
        out.endArray();
    }

    private static void writePeers(JsonWriter out, List<PeerRecord> peers) throws IOException {
        out.name(Wire.PEER_LIST).beginArray();
        for (PeerRecord p : peers) {
            if (p == null) {
                throw new IllegalArgumentException("peer list contains null");
            }
            writePeer(out, p);
        }
        out.endArray();
    }

    private static void writePeer(JsonWriter out, PeerRecord p) throws IOException {
        out.beginObject();
        if (p.id() != null) {
            out.name(Wire.PEER_ID).value(p.id().hex());
        }
        out.name(Wire.PEER_ENDPOINT).value(p.endpoint().toString());
        out.endObject();
    }

    private static void writeOptionalChannel(JsonWriter out, byte[] channel) throws IOException {
        if (channel != null) {
            out.name(Wire.CHANNEL).value(BASE64.encodeToString(channel));
        }
    }

    private static void writeOptionalEndpoint(JsonWriter out, Endpoint listen) throws IOException {
        if (listen != null) {
            out.name(Wire.LISTEN).value(listen.toString());
        }
    }

    private static void writeVersion(JsonWriter out, int version, String kind) throws IOException {
        if (version < 0) {
            throw new IllegalArgumentException(kind + ".version must not be negative: " + version);
        }
        out.name(Wire.VERSION).value(version);
    }

    private static int hopCount(int value, String field) {
        if (value < 0 || value > Wire.MAX_HOPS) {
            throw new IllegalArgumentException("publish." + field + " must be 0.." + Wire.MAX_HOPS + ": " + value);
        }
        return value;
    }

    private static String base64(byte[] bytes, String kind, String field) {
        return BASE64.encodeToString(required(bytes, kind, field));
    }

    private static <T> T required(T value, String kind, String field) {
        if (value == null) {
            throw new IllegalArgumentException(kind + "." + field + " is required");
        }
        return value;
    }

    /** Presizing avoids most StringBuilder regrowth, which dominates encoding of large payloads. */
    private static int sizeHint(Frame frame) {
        if (frame instanceof Frame.Publish p) {
            Envelope e = p.envelope();
            int payload = e == null || e.payload() == null ? 0 : e.payload().length;
            // base64 grows by 4/3; 384 covers ids, key, signature and names.
            return 384 + (payload + 2) / 3 * 4;
        }
        if (frame instanceof Frame.PeerList p) {
            return 32 + 112 * p.peers().size();
        }
        if (frame instanceof Frame.IHave h) {
            return 32 + 35 * h.ids().size();
        }
        if (frame instanceof Frame.Graft g) {
            return 32 + 35 * g.ids().size();
        }
        if (frame instanceof Frame.Welcome w) {
            return 512 + 112 * w.peers().size();
        }
        return 256;
    }

    /**
     * A {@link Writer} over a plain {@link StringBuilder}. {@link java.io.StringWriter} would lock a
     * {@link StringBuffer} on each of the many small writes JsonWriter makes.
     */
    private static final class StringBuilderWriter extends Writer {
        private final StringBuilder sb;

        StringBuilderWriter(int capacity) {
            sb = new StringBuilder(capacity);
        }

        @Override
        public void write(int c) {
            sb.append((char) c);
        }

        @Override
        public void write(char[] cbuf, int off, int len) {
            sb.append(cbuf, off, len);
        }

        @Override
        public void write(String str) {
            sb.append(str);
        }

        @Override
        public void write(String str, int off, int len) {
            sb.append(str, off, off + len);
        }

        @Override
        public Writer append(CharSequence csq) {
            sb.append(csq);
            return this;
        }

        @Override
        public Writer append(char c) {
            sb.append(c);
            return this;
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }

        byte[] toUtf8() {
            return sb.toString().getBytes(StandardCharsets.UTF_8);
        }
    }
}
