package dev.meshkit.core.codec;

/**
 * Frame kinds and member names of the JSON wire format, kept in one place so the reader, the writer
 * and docs/protocol.md cannot drift apart.
 *
 * <p>Names are short because every frame carries them; the format is still readable in a packet
 * capture, which is the reason MeshKit speaks JSON in the first place.
 */
final class Wire {
    private Wire() {
    }

    // Frame kinds: the value of K.
    static final String HELLO = "hello";
    static final String WELCOME = "welcome";
    static final String AUTH = "auth";
    static final String REFUSE = "refuse";
    static final String PING = "ping";
    static final String PONG = "pong";
    static final String PEER_REQUEST = "peer-request";
    static final String PEERS = "peers";
    static final String PUBLISH = "publish";
    static final String BYE = "bye";
    static final String IHAVE = "ihave";
    static final String GRAFT = "graft";
    static final String PRUNE = "prune";
    static final String PUZZLE = "puzzle";
    static final String WORK = "work";
    static final String JOIN = "join";

    /** Longest kind above; a kind string longer than this cannot be one we know. */
    static final int MAX_KIND_CHARS = 12;

    // Members. Must stay unique within each frame kind.
    static final String K = "k";
    static final String VERSION = "v";
    static final String NETWORK = "net";
    static final String SCHEME = "sch";
    static final String PUBLIC_KEY = "pk";
    static final String CHALLENGE = "ch";
    static final String PROOF = "pf";
    static final String LISTEN = "ls";
    /** Publish: the message id hint; written right after the kind so it can be read without parsing. */
    static final String MESSAGE_ID = "i";
    /** Hello: the dialler's current neighbour count (optional, absent means unknown). */
    static final String LINKS = "nl";
    static final String PEER_LIST = "ps";
    /** A join's newcomer: one peer record. */
    static final String NEWCOMER = "nc";
    /** Hello, welcome, auth: the secure channel's handshake bytes (optional: absent for plaintext links). */
    static final String CHANNEL = "sc";
    static final String MESSAGE_IDS = "is";
    static final String ORIGINS = "os";
    static final String REASON = "r";
    static final String DETAIL = "dt";
    static final String NONCE = "n";
    static final String TYPE = "t";
    static final String ORIGIN = "o";
    static final String DESTINATION = "d";
    static final String TIMESTAMP = "ts";
    static final String SEQUENCE = "sq";
    static final String TTL = "ttl";
    static final String HOPS = "h";
    static final String PAYLOAD = "p";
    static final String SIGNATURE = "s";
    /** Puzzle: the random seed. */
    static final String SEED = "sd";
    /** Puzzle: the leading zero bits asked for. */
    static final String BITS = "b";
    /** Work: the answer. */
    static final String WORK_NONCE = "wn";

    // Members of one peer record inside PEER_LIST.
    static final String PEER_ID = "id";
    static final String PEER_ENDPOINT = "ep";

    /** Longest puzzle seed or work nonce, in bytes. */
    static final int MAX_WORK_BYTES = 64;
    /** Most leading zero bits a puzzle can ask for: all of SHA-256. */
    static final int MAX_WORK_BITS = 256;

    /** Largest value of an unsigned byte: ttl and hops beyond it are refused so a loop cannot spin long. */
    static final int MAX_HOPS = 255;
}
