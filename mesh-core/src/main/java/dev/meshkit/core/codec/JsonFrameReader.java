package dev.meshkit.core.codec;

import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import dev.meshkit.api.Endpoint;
import dev.meshkit.api.MessageId;
import dev.meshkit.api.NodeId;
import dev.meshkit.api.wire.Envelope;
import dev.meshkit.api.wire.Frame;
import dev.meshkit.api.wire.FrameDecodeException;
import dev.meshkit.api.wire.FrameDecodeException.Problem;
import dev.meshkit.api.wire.FrameLimits;
import dev.meshkit.api.wire.PeerRecord;
import java.io.IOException;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decodes one frame. One instance per frame: it carries the nesting depth of that frame.
 *
 * <p>Nesting is counted here rather than left to {@link JsonReader#setNestingLimit}, because Gson
 * reports a breach as a plain syntax error and the node must be able to tell TOO_DEEP apart. Every
 * object and array is entered through {@link #enter()}, including those inside members we skip,
 * which is why skipping is done here too instead of with {@link JsonReader#skipValue()}: that one
 * would also not bound array or string lengths. Gson's own limit stays on as a backstop.
 */
final class JsonFrameReader {
    private static final Logger LOG = LoggerFactory.getLogger(JsonCodec.class);
    private static final Base64.Decoder BASE64 = Base64.getDecoder();

    private final FrameLimits limits;
    private final JsonReader in;
    private int depth;

    private JsonFrameReader(Reader text, FrameLimits limits) {
        this.limits = limits;
        this.in = new JsonReader(text);
        in.setStrictness(Strictness.STRICT);
        in.setNestingLimit(limits.maxDepth() < Integer.MAX_VALUE - 1 ? limits.maxDepth() + 1 : limits.maxDepth());
    }

    static Frame decode(byte[] bytes, FrameLimits limits) throws FrameDecodeException {
        if (bytes == null) {
            throw new FrameDecodeException(Problem.MALFORMED, "no bytes");
        }
        if (bytes.length > limits.maxFrameBytes()) {
            throw new FrameDecodeException(Problem.TOO_LARGE,
                    "frame of " + bytes.length + " bytes exceeds the limit of " + limits.maxFrameBytes());
        }
        String kind = FrameHead.kindOf(bytes);
        int kindLimit = limits.limitFor(kind == null ? "" : kind);
        if (bytes.length > kindLimit) {
            throw new FrameDecodeException(Problem.TOO_LARGE, (kind == null ? "unknown" : kind) + " frame of "
                    + bytes.length + " bytes exceeds the limit of " + kindLimit);
        }
        if (kind == null || !isKnown(kind)) {
            throw new FrameDecodeException(Problem.UNKNOWN_KIND,
                    "unknown frame kind " + (kind == null ? "(unreadable)" : Texts.quote(kind)));
        }
        CharBuffer chars = utf8(bytes);
        JsonFrameReader reader = new JsonFrameReader(new CharBufferReader(chars), limits);
        try {
            return reader.readFrame(kind);
        } catch (FrameDecodeException e) {
            throw e;
        } catch (IOException e) {
            // MalformedJsonException, EOFException: the JSON itself is broken.
            throw new FrameDecodeException(Problem.MALFORMED, Texts.firstLine(e.getMessage()));
        } catch (IllegalArgumentException | IllegalStateException e) {
            // Well-formed JSON whose tokens did not fit what the kind requires.
            throw new FrameDecodeException(Problem.INVALID_FIELD, Texts.firstLine(e.getMessage()));
        } catch (RuntimeException e) {
            // Never let a parser bug escape as an unchecked exception into the node's event loop.
            LOG.debug("unexpected error decoding a {} frame", kind, e);
            throw new FrameDecodeException(Problem.MALFORMED, "undecodable frame: " + e.getClass().getSimpleName());
        }
    }

    private static boolean isKnown(String kind) {
        switch (kind) {
            case Wire.HELLO:
            case Wire.WELCOME:
            case Wire.AUTH:
            case Wire.REFUSE:
            case Wire.PING:
            case Wire.PONG:
            case Wire.PEER_REQUEST:
            case Wire.PEERS:
            case Wire.PUBLISH:
            case Wire.BYE:
            case Wire.IHAVE:
            case Wire.GRAFT:
            case Wire.PRUNE:
            case Wire.PUZZLE:
            case Wire.WORK:
            case Wire.JOIN:
                return true;
            default:
                return false;
        }
    }

    private static CharBuffer utf8(byte[] bytes) throws FrameDecodeException {
        try {
            // REPORT, not the default REPLACE: a frame with broken UTF-8 is not one the sender meant.
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes));
        } catch (CharacterCodingException e) {
            throw new FrameDecodeException(Problem.MALFORMED, "frame is not valid UTF-8");
        }
    }

    private Frame readFrame(String kind) throws IOException, FrameDecodeException {
        beginObject();
        if (!Wire.K.equals(in.nextName()) || !kind.equals(in.nextString())) {
            // FrameHead already checked this; a mismatch means the two scanners disagree.
            throw invalid("the first member must be \"k\"");
        }
        Frame frame;
        switch (kind) {
            case Wire.PUBLISH:
                frame = readPublish();
                break;
            case Wire.PING:
                frame = new Frame.Ping(readNonce());
                break;
            case Wire.PONG:
                frame = new Frame.Pong(readNonce());
                break;
            case Wire.PEERS:
                frame = readPeerList();
                break;
            case Wire.JOIN:
                frame = readJoin();
                break;
            case Wire.PEER_REQUEST:
                skipRemainingMembers();
                frame = new Frame.PeerRequest();
                break;
            case Wire.IHAVE:
                frame = new Frame.IHave(readList(Wire.MESSAGE_IDS, this::messageId));
                break;
            case Wire.GRAFT:
                frame = new Frame.Graft(readList(Wire.MESSAGE_IDS, this::messageId));
                break;
            case Wire.PRUNE:
                frame = new Frame.Prune(readList(Wire.ORIGINS, this::nodeId));
                break;
            case Wire.HELLO:
                frame = readHello();
                break;
            case Wire.WELCOME:
                frame = readWelcome();
                break;
            case Wire.AUTH:
                frame = readAuth();
                break;
            case Wire.REFUSE:
                frame = readRefuse();
                break;
            case Wire.BYE:
                frame = readBye();
                break;
            case Wire.PUZZLE:
                frame = readPuzzle();
                break;
            case Wire.WORK:
                frame = readWork();
                break;
            default:
                throw new FrameDecodeException(Problem.UNKNOWN_KIND, "unknown frame kind " + Texts.quote(kind));
        }
        endObject();
        // In strict mode Gson itself rejects a second value; this also catches anything it lets by.
        if (in.peek() != JsonToken.END_DOCUMENT) {
            throw new FrameDecodeException(Problem.MALFORMED, "trailing data after the frame");
        }
        return frame;
    }

    // ---- frame bodies: each reads the members after "k", up to but not including the closing brace.

    /** The members hello and welcome share, read by one piece of code for both. */
    private final class Introduction {
        Integer version;
        String network;
        String scheme;
        byte[] publicKey;
        byte[] challenge;
        Endpoint listen;
        int seen;

        /** Reads {@code name} if it is a shared member; false if the caller must handle it. */
        boolean read(String name) throws IOException, FrameDecodeException {
            switch (name) {
                case Wire.VERSION:
                    seen = once(seen, 1, name);
                    version = intValue(name, 0, Integer.MAX_VALUE);
                    return true;
                case Wire.NETWORK:
                    seen = once(seen, 2, name);
                    network = string(name);
                    return true;
                case Wire.SCHEME:
                    seen = once(seen, 4, name);
                    scheme = string(name);
                    return true;
                case Wire.PUBLIC_KEY:
                    seen = once(seen, 8, name);
                    publicKey = bytes(name);
                    return true;
                case Wire.CHALLENGE:
                    seen = once(seen, 16, name);
                    challenge = bytes(name);
                    return true;
                case Wire.LISTEN:
                    seen = once(seen, 32, name);
                    listen = optionalEndpoint(name);
                    return true;
                default:
                    return false;
            }
        }

        void requireAll() throws FrameDecodeException {
            required(version, Wire.VERSION);
            required(network, Wire.NETWORK);
            required(scheme, Wire.SCHEME);
            required(publicKey, Wire.PUBLIC_KEY);
            required(challenge, Wire.CHALLENGE);
        }
    }

    private Frame readHello() throws IOException, FrameDecodeException {
        Introduction intro = new Introduction();
        int links = -1;
        byte[] channel = null;
        int seen = 0;
        while (in.hasNext()) {
            String name = name();
            if (intro.read(name)) {
                continue;
            }
            if (Wire.LINKS.equals(name)) {
                seen = once(seen, 1, name);
                links = intValue(name, 0, 65_535);
            } else if (Wire.CHANNEL.equals(name)) {
                seen = once(seen, 2, name);
                channel = optionalBytes(name);
            } else {
                skipMember(name);
            }
        }
        intro.requireAll();
        return new Frame.Hello(intro.version, intro.network, intro.scheme, intro.publicKey, intro.challenge,
                intro.listen, links, channel);
    }

    private Frame readWelcome() throws IOException, FrameDecodeException {
        Introduction intro = new Introduction();
        byte[] proof = null;
        List<PeerRecord> peers = null;
        byte[] channel = null;
        int seen = 0;
        while (in.hasNext()) {
            String name = name();
            if (intro.read(name)) {
                continue;
            }
            if (Wire.PROOF.equals(name)) {
                seen = once(seen, 1, name);
                proof = bytes(name);
            } else if (Wire.PEER_LIST.equals(name)) {
                seen = once(seen, 2, name);
                peers = optionalPeers(name);
            } else if (Wire.CHANNEL.equals(name)) {
                seen = once(seen, 4, name);
                channel = optionalBytes(name);
            } else {
                skipMember(name);
            }
        }
        intro.requireAll();
        return new Frame.Welcome(intro.version, intro.network, intro.scheme, intro.publicKey, intro.challenge,
                required(proof, Wire.PROOF), intro.listen, peers == null ? List.of() : peers, channel);
    }

    private Frame readAuth() throws IOException, FrameDecodeException {
        byte[] proof = null;
        byte[] channel = null;
        int seen = 0;
        while (in.hasNext()) {
            String name = name();
            if (Wire.PROOF.equals(name)) {
                seen = once(seen, 1, name);
                proof = bytes(name);
            } else if (Wire.CHANNEL.equals(name)) {
                seen = once(seen, 2, name);
                channel = optionalBytes(name);
            } else {
                skipMember(name);
            }
        }
        return new Frame.Auth(required(proof, Wire.PROOF), channel);
    }

    private Frame readPuzzle() throws IOException, FrameDecodeException {
        byte[] seed = null;
        Integer bits = null;
        int seen = 0;
        while (in.hasNext()) {
            String name = name();
            if (Wire.SEED.equals(name)) {
                seen = once(seen, 1, name);
                seed = shortBytes(name);
            } else if (Wire.BITS.equals(name)) {
                seen = once(seen, 2, name);
                bits = intValue(name, 0, Wire.MAX_WORK_BITS);
            } else {
                skipMember(name);
            }
        }
        return new Frame.Puzzle(required(seed, Wire.SEED), required(bits, Wire.BITS));
    }

    private Frame readWork() throws IOException, FrameDecodeException {
        byte[] nonce = null;
        int seen = 0;
        while (in.hasNext()) {
            String name = name();
            if (Wire.WORK_NONCE.equals(name)) {
                seen = once(seen, 1, name);
                nonce = shortBytes(name);
            } else {
                skipMember(name);
            }
        }
        return new Frame.Work(required(nonce, Wire.WORK_NONCE));
    }

    /** Bytes of a puzzle or work frame, which never need more than {@link Wire#MAX_WORK_BYTES}. */
    private byte[] shortBytes(String name) throws IOException, FrameDecodeException {
        byte[] b = bytes(name);
        if (b.length > Wire.MAX_WORK_BYTES) {
            throw invalid(Texts.quote(name) + " must be at most " + Wire.MAX_WORK_BYTES + " bytes");
        }
        return b;
    }

    private Frame readRefuse() throws IOException, FrameDecodeException {
        String reason = null;
        String detail = null;
        int seen = 0;
        while (in.hasNext()) {
            String name = name();
            switch (name) {
                case Wire.REASON:
                    seen = once(seen, 1, name);
                    reason = string(name);
                    break;
                case Wire.DETAIL:
                    seen = once(seen, 2, name);
                    detail = optionalString(name);
                    break;
                default:
                    skipMember(name);
            }
        }
        return new Frame.Refuse(required(reason, Wire.REASON), detail);
    }

    private Frame readBye() throws IOException, FrameDecodeException {
        String reason = null;
        int seen = 0;
        while (in.hasNext()) {
            String name = name();
            if (Wire.REASON.equals(name)) {
                seen = once(seen, 1, name);
                reason = optionalString(name);
            } else {
                skipMember(name);
            }
        }
        return new Frame.Bye(reason);
    }

    private long readNonce() throws IOException, FrameDecodeException {
        long nonce = 0;
        int seen = 0;
        while (in.hasNext()) {
            String name = name();
            if (Wire.NONCE.equals(name)) {
                seen = once(seen, 1, name);
                nonce = longValue(name);
            } else {
                skipMember(name);
            }
        }
        if (seen == 0) {
            throw missing(Wire.NONCE);
        }
        return nonce;
    }

    private Frame readPeerList() throws IOException, FrameDecodeException {
        List<PeerRecord> peers = null;
        int seen = 0;
        while (in.hasNext()) {
            String name = name();
            if (Wire.PEER_LIST.equals(name)) {
                seen = once(seen, 1, name);
                peers = peers(name);
            } else {
                skipMember(name);
            }
        }
        return new Frame.PeerList(required(peers, Wire.PEER_LIST));
    }

    private Frame readJoin() throws IOException, FrameDecodeException {
        PeerRecord newcomer = null;
        Integer ttl = null;
        int seen = 0;
        while (in.hasNext()) {
            String name = name();
            if (Wire.NEWCOMER.equals(name)) {
                seen = once(seen, 1, name);
                newcomer = peer(0);
                if (newcomer == null || newcomer.id() == null) {
                    throw invalid(name + " must name a node id and a usable endpoint");
                }
            } else if (Wire.TTL.equals(name)) {
                seen = once(seen, 2, name);
                ttl = intValue(name, 0, Wire.MAX_HOPS);
            } else {
                skipMember(name);
            }
        }
        return new Frame.Join(required(newcomer, Wire.NEWCOMER), required(ttl, Wire.TTL));
    }

    /** One element of a list member. */
    private interface Element<T> {
        T read(String field) throws IOException, FrameDecodeException;
    }

    private <T> List<T> readList(String member, Element<T> element) throws IOException, FrameDecodeException {
        List<T> list = null;
        int seen = 0;
        while (in.hasNext()) {
            String name = name();
            if (member.equals(name)) {
                seen = once(seen, 1, name);
                if (in.peek() != JsonToken.BEGIN_ARRAY) {
                    throw invalid(name + " must be an array");
                }
                beginArray();
                list = new ArrayList<>();
                while (in.hasNext()) {
                    if (list.size() >= limits.maxArrayLength()) {
                        throw new FrameDecodeException(Problem.TOO_LONG,
                                name + " has more than " + limits.maxArrayLength() + " entries");
                    }
                    list.add(element.read(name));
                }
                endArray();
            } else {
                skipMember(name);
            }
        }
        return required(list, member);
    }

    private Frame readPublish() throws IOException, FrameDecodeException {
        String type = null;
        NodeId origin = null;
        NodeId destination = null;
        long timestamp = 0;
        long sequence = 0;
        int ttl = 0;
        int hops = 0;
        byte[] payload = null;
        byte[] publicKey = null;
        byte[] signature = null;
        MessageId id = null;
        int seen = 0;
        while (in.hasNext()) {
            String name = name();
            switch (name) {
                case Wire.MESSAGE_ID:
                    seen = once(seen, 1024, name);
                    id = messageId(name);
                    break;
                case Wire.TYPE:
                    seen = once(seen, 1, name);
                    type = string(name);
                    break;
                case Wire.ORIGIN:
                    seen = once(seen, 2, name);
                    origin = nodeId(name);
                    break;
                case Wire.DESTINATION:
                    seen = once(seen, 4, name);
                    destination = in.peek() == JsonToken.NULL ? skipNull() : nodeId(name);
                    break;
                case Wire.TIMESTAMP:
                    seen = once(seen, 8, name);
                    timestamp = longValue(name);
                    break;
                case Wire.SEQUENCE:
                    seen = once(seen, 16, name);
                    sequence = longValue(name);
                    break;
                case Wire.TTL:
                    seen = once(seen, 32, name);
                    ttl = intValue(name, 0, Wire.MAX_HOPS);
                    break;
                case Wire.HOPS:
                    seen = once(seen, 64, name);
                    hops = intValue(name, 0, Wire.MAX_HOPS);
                    break;
                case Wire.PAYLOAD:
                    seen = once(seen, 128, name);
                    payload = payload(name);
                    break;
                case Wire.PUBLIC_KEY:
                    seen = once(seen, 256, name);
                    publicKey = bytes(name);
                    break;
                case Wire.SIGNATURE:
                    seen = once(seen, 512, name);
                    signature = bytes(name);
                    break;
                default:
                    skipMember(name);
            }
        }
        // Every publish member but the destination is required; name the first one missing.
        String[] order = {Wire.TYPE, Wire.ORIGIN, null, Wire.TIMESTAMP, Wire.SEQUENCE, Wire.TTL, Wire.HOPS,
            Wire.PAYLOAD, Wire.PUBLIC_KEY, Wire.SIGNATURE};
        for (int bit = 0; bit < order.length; bit++) {
            if (order[bit] != null && (seen & (1 << bit)) == 0) {
                throw missing(order[bit]);
            }
        }
        return new Frame.Publish(new Envelope(type, origin, destination, timestamp, sequence, ttl, hops, payload,
                publicKey, signature), id);
    }

    // ---- peer lists

    private List<PeerRecord> optionalPeers(String field) throws IOException, FrameDecodeException {
        if (in.peek() == JsonToken.NULL) {
            in.nextNull();
            return null;
        }
        return peers(field);
    }

    /**
     * Reads a peer list, dropping entries that are unusable one by one. Peer lists are gossip from
     * nodes we do not control: one stale or mistyped address must not cost us every other peer. Only
     * breaches of the frame limits abort the whole list.
     */
    private List<PeerRecord> peers(String field) throws IOException, FrameDecodeException {
        if (in.peek() != JsonToken.BEGIN_ARRAY) {
            throw invalid(field + " must be an array");
        }
        beginArray();
        List<PeerRecord> peers = new ArrayList<>();
        int index = 0;
        while (in.hasNext()) {
            if (++index > limits.maxArrayLength()) {
                throw new FrameDecodeException(Problem.TOO_LONG,
                        field + " has more than " + limits.maxArrayLength() + " entries");
            }
            PeerRecord peer = peer(index - 1);
            if (peer != null) {
                peers.add(peer);
            }
        }
        endArray();
        return peers;
    }

    /** One peer record, or {@code null} (after consuming it) if the entry is unusable. */
    private PeerRecord peer(int index) throws IOException, FrameDecodeException {
        if (in.peek() != JsonToken.BEGIN_OBJECT) {
            skipValue();
            LOG.debug("skipping peer record {}: not an object", index);
            return null;
        }
        beginObject();
        String idText = null;
        String endpointText = null;
        String problem = null;
        int seen = 0;
        while (in.hasNext()) {
            String name = name();
            int bit = Wire.PEER_ID.equals(name) ? 1 : Wire.PEER_ENDPOINT.equals(name) ? 2 : 0;
            if (bit == 0) {
                skipValue();
                continue;
            }
            if ((seen & bit) != 0) {
                problem = "duplicate member " + Texts.quote(name);
            }
            seen |= bit;
            JsonToken token = in.peek();
            if (token == JsonToken.STRING) {
                String text = checkLength(in.nextString());
                if (bit == 1) {
                    idText = text;
                } else {
                    endpointText = text;
                }
            } else if (token == JsonToken.NULL && bit == 1) {
                in.nextNull();
            } else {
                skipValue();
                problem = Texts.quote(name) + " must be a string";
            }
        }
        endObject();
        if (problem == null && endpointText == null) {
            problem = "no endpoint";
        }
        NodeId id = null;
        Endpoint endpoint = null;
        if (problem == null && idText != null) {
            try {
                id = parseNodeId(idText);
            } catch (IllegalArgumentException e) {
                problem = "bad node id " + Texts.quote(idText);
            }
        }
        if (problem == null) {
            try {
                endpoint = Endpoint.parse(endpointText);
            } catch (RuntimeException e) {
                problem = "bad endpoint " + Texts.quote(endpointText);
            }
        }
        if (problem != null) {
            LOG.debug("skipping peer record {}: {}", index, problem);
            return null;
        }
        return new PeerRecord(id, endpoint);
    }

    // ---- values

    private String name() throws IOException, FrameDecodeException {
        return checkLength(in.nextName());
    }

    private String string(String field) throws IOException, FrameDecodeException {
        JsonToken token = in.peek();
        if (token != JsonToken.STRING) {
            throw invalid(Texts.quote(field) + " must be a string, not " + token);
        }
        return checkLength(in.nextString());
    }

    private String optionalString(String field) throws IOException, FrameDecodeException {
        return in.peek() == JsonToken.NULL ? skipNull() : string(field);
    }

    private <T> T skipNull() throws IOException {
        in.nextNull();
        return null;
    }

    /**
     * A JSON integer as a long, exactly. The literal is parsed here instead of with
     * {@link JsonReader#nextLong()}, which also accepts quoted numbers and rounds literals beyond the long
     * range to the nearest long instead of refusing them.
     */
    private long longValue(String field) throws IOException, FrameDecodeException {
        JsonToken token = in.peek();
        if (token != JsonToken.NUMBER) {
            throw invalid(Texts.quote(field) + " must be a number, not " + token);
        }
        String literal = checkLength(in.nextString());
        try {
            return Long.parseLong(literal);
        } catch (NumberFormatException e) {
            throw invalid(Texts.quote(field) + " must be an integer in the long range: " + Texts.quote(literal));
        }
    }

    private int intValue(String field, int min, int max) throws IOException, FrameDecodeException {
        long value = longValue(field);
        if (value < min || value > max) {
            throw invalid(Texts.quote(field) + " must be " + min + ".." + max + ", not " + value);
        }
        return (int) value;
    }

    private byte[] optionalBytes(String field) throws IOException, FrameDecodeException {
        return in.peek() == JsonToken.NULL ? skipNull() : bytes(field);
    }

    private byte[] bytes(String field) throws IOException, FrameDecodeException {
        return base64(field, string(field));
    }

    /** The payload, refused by its encoded length before a byte of it is decoded. */
    private byte[] payload(String field) throws IOException, FrameDecodeException {
        JsonToken token = in.peek();
        if (token != JsonToken.STRING) {
            throw invalid(Texts.quote(field) + " must be a string, not " + token);
        }
        String text = in.nextString();
        long maxChars = ((long) limits.maxPayloadBytes() + 2) / 3 * 4;
        if (text.length() > maxChars) {
            throw new FrameDecodeException(Problem.TOO_LARGE,
                    "payload exceeds the limit of " + limits.maxPayloadBytes() + " bytes");
        }
        checkLength(text);
        byte[] payload = base64(field, text);
        // Four characters per three bytes overestimates by up to two bytes; this catches the rest.
        if (payload.length > limits.maxPayloadBytes()) {
            throw new FrameDecodeException(Problem.TOO_LARGE,
                    "payload of " + payload.length + " bytes exceeds the limit of " + limits.maxPayloadBytes());
        }
        return payload;
    }

    private static byte[] base64(String field, String text) throws FrameDecodeException {
        try {
            return BASE64.decode(text);
        } catch (IllegalArgumentException e) {
            throw invalid(Texts.quote(field) + " is not valid base64");
        }
    }

    private MessageId messageId(String field) throws IOException, FrameDecodeException {
        String text = string(field);
        try {
            return MessageId.parse(text);
        } catch (IllegalArgumentException e) {
            throw invalid(Texts.quote(field) + " is not a message id: " + Texts.quote(text));
        }
    }

    private NodeId nodeId(String field) throws IOException, FrameDecodeException {
        String text = string(field);
        try {
            return parseNodeId(text);
        } catch (IllegalArgumentException e) {
            throw invalid(Texts.quote(field) + " is not a node id: " + Texts.quote(text));
        }
    }

    /** Exactly 64 hex digits; NodeId.parse alone would also accept surrounding whitespace. */
    private static NodeId parseNodeId(String text) {
        if (text.length() != NodeId.BYTES * 2) {
            throw new IllegalArgumentException("node id must be " + NodeId.BYTES * 2 + " hex digits");
        }
        return NodeId.parse(text);
    }

    private Endpoint optionalEndpoint(String field) throws IOException, FrameDecodeException {
        if (in.peek() == JsonToken.NULL) {
            return skipNull();
        }
        String text = string(field);
        try {
            return Endpoint.parse(text);
        } catch (RuntimeException e) {
            throw invalid(Texts.quote(field) + " is not a valid endpoint: " + Texts.quote(text));
        }
    }

    private String checkLength(String text) throws FrameDecodeException {
        if (text.length() > limits.maxStringLength()) {
            throw new FrameDecodeException(Problem.TOO_LONG,
                    "a string of " + text.length() + " characters exceeds the limit of " + limits.maxStringLength());
        }
        return text;
    }

    // ---- structure

    private void enter() throws FrameDecodeException {
        if (depth >= limits.maxDepth()) {
            throw new FrameDecodeException(Problem.TOO_DEEP, "nesting exceeds the limit of " + limits.maxDepth());
        }
        depth++;
    }

    private void beginObject() throws IOException, FrameDecodeException {
        enter();
        in.beginObject();
    }

    private void endObject() throws IOException {
        in.endObject();
        depth--;
    }

    private void beginArray() throws IOException, FrameDecodeException {
        enter();
        in.beginArray();
    }

    private void endArray() throws IOException {
        in.endArray();
        depth--;
    }

    private void skipMember(String name) throws IOException, FrameDecodeException {
        if (Wire.K.equals(name)) {
            throw invalid("duplicate member \"k\"");
        }
        // Unknown members are how later protocol versions add fields; older nodes must ignore them.
        skipValue();
    }

    private void skipRemainingMembers() throws IOException, FrameDecodeException {
        while (in.hasNext()) {
            skipMember(name());
        }
    }

    /**
     * Skips one value of any shape without recursion, applying the same depth, array and string limits
     * as the values we read.
     */
    private void skipValue() throws IOException, FrameDecodeException {
        int base = depth;
        // counts[d] is the element count of the array open at depth base + 1 + d, or -1 for an object.
        int[] counts = new int[4];
        do {
            JsonToken token = in.peek();
            switch (token) {
                case END_ARRAY:
                    endArray();
                    continue;
                case END_OBJECT:
                    endObject();
                    continue;
                case NAME:
                    name();
                    continue;
                case END_DOCUMENT:
                    throw new FrameDecodeException(Problem.MALFORMED, "truncated frame");
                default:
                    break;
            }
            if (depth > base) {
                int slot = depth - base - 1;
                if (counts[slot] >= 0 && ++counts[slot] > limits.maxArrayLength()) {
                    throw new FrameDecodeException(Problem.TOO_LONG,
                            "an array has more than " + limits.maxArrayLength() + " elements");
                }
            }
            switch (token) {
                case BEGIN_ARRAY:
                case BEGIN_OBJECT:
                    if (token == JsonToken.BEGIN_ARRAY) {
                        beginArray();
                    } else {
                        beginObject();
                    }
                    int slot = depth - base - 1;
                    if (slot >= counts.length) {
                        counts = Arrays.copyOf(counts, counts.length * 2);
                    }
                    counts[slot] = token == JsonToken.BEGIN_ARRAY ? 0 : -1;
                    break;
                case STRING:
                case NUMBER:
                    checkLength(in.nextString());
                    break;
                case BOOLEAN:
                    in.nextBoolean();
                    break;
                case NULL:
                    in.nextNull();
                    break;
                default:
                    throw new FrameDecodeException(Problem.MALFORMED, "unexpected " + token);
            }
        } while (depth > base);
    }

    // ---- errors

    private static int once(int seen, int bit, String name) throws FrameDecodeException {
        // Parsers disagree on which of two equal names wins; refusing both closes that gap.
        if ((seen & bit) != 0) {
            throw invalid("duplicate member " + Texts.quote(name));
        }
        return seen | bit;
    }

    private static <T> T required(T value, String field) throws FrameDecodeException {
        if (value == null) {
            throw missing(field);
        }
        return value;
    }

    private static FrameDecodeException missing(String field) {
        return invalid("missing member " + Texts.quote(field));
    }

    private static FrameDecodeException invalid(String detail) {
        return new FrameDecodeException(Problem.INVALID_FIELD, detail);
    }

    /** A Reader over already-decoded characters, without the locking of {@link java.io.CharArrayReader}. */
    private static final class CharBufferReader extends Reader {
        private final CharBuffer chars;

        CharBufferReader(CharBuffer chars) {
            this.chars = chars;
        }

        @Override
        public int read(char[] dst, int off, int len) {
            if (len == 0) {
                return 0;
            }
            int n = Math.min(len, chars.remaining());
            if (n == 0) {
                return -1;
            }
            chars.get(dst, off, n);
            return n;
        }

        @Override
        public void close() {
        }
    }
}
