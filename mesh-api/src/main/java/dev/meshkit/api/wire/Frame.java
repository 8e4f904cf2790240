package dev.meshkit.api.wire;

import dev.meshkit.api.Endpoint;
import java.util.List;

/**
 * Everything that travels over a link, one frame per transport message.
 *
 * <p>The handshake is three frames: the dialler's {@link Hello} carries a fresh challenge; the
 * listener's {@link Welcome} answers it with a signature (its proof of key possession) and carries a
 * challenge of its own; the dialler's {@link Auth} answers that. Either side may send
 * {@link Refuse} instead and close.
 */
public sealed interface Frame {

    /** The short name used on the wire and in size limits. */
    String kind();

    /**
     * Opens a handshake.
     *
     * @param version   protocol version the dialler speaks
     * @param network   network id
     * @param scheme    the dialler's signature scheme
     * @param publicKey the dialler's encoded public key
     * @param challenge fresh random bytes the listener must sign
     * @param listen    where the dialler itself listens, or {@code null}
     * @param links     how many neighbours the dialler has now, or -1 if it does not say; a full
     *                  listener makes room for a dialler with none, so a newcomer always gets in
     * @param channel   the dialler's link encryption offer (suites and key shares), or {@code null}
     *                  for a plaintext link
     */
    record Hello(int version, String network, String scheme, byte[] publicKey, byte[] challenge, Endpoint listen,
                 int links, byte[] channel) implements Frame {
        @Override
        public String kind() {
            return "hello";
        }
    }

    /**
     * Accepts a handshake.
     *
     * @param version   protocol version chosen
     * @param network   network id
     * @param scheme    the listener's signature scheme
     * @param publicKey the listener's encoded public key
     * @param challenge fresh random bytes the dialler must sign
     * @param proof     the listener's signature over the handshake transcript
     * @param listen    where the listener listens (its actual bound endpoint)
     * @param peers     peers the listener knows, for the dialler to connect to
     * @param channel   the listener's choice of suite, its key share and key confirmation, or
     *                  {@code null} for a plaintext link
     */
    record Welcome(int version, String network, String scheme, byte[] publicKey, byte[] challenge, byte[] proof,
                   Endpoint listen, List<PeerRecord> peers, byte[] channel) implements Frame {
        /** Copies the list. */
        public Welcome {
            peers = List.copyOf(peers);
        }

        @Override
        public String kind() {
            return "welcome";
        }
    }

    /**
     * Completes a handshake.
     *
     * @param proof   the dialler's signature over the handshake transcript
     * @param channel the dialler's key confirmation, or {@code null} for a plaintext link
     */
    record Auth(byte[] proof, byte[] channel) implements Frame {
        @Override
        public String kind() {
            return "auth";
        }
    }

    /**
     * The listener's proof-of-work challenge, answered by a {@link Work} before the listener spends
     * anything on the handshake.
     *
     * @param seed random bytes, fresh for this connection
     * @param bits leading zero bits the answer's hash must have
     */
    record Puzzle(byte[] seed, int bits) implements Frame {
        @Override
        public String kind() {
            return "puzzle";
        }
    }

    /**
     * The dialler's answer to a {@link Puzzle}.
     *
     * @param nonce the bytes that, hashed with the puzzle, the dialler's challenge and id, give enough
     *              leading zero bits
     */
    record Work(byte[] nonce) implements Frame {
        @Override
        public String kind() {
            return "work";
        }
    }

    /**
     * Refuses a handshake; the sender closes the link after it.
     *
     * @param reason machine-readable reason (a {@link dev.meshkit.api.RefusalReason} wire name)
     * @param detail human-readable detail
     */
    record Refuse(String reason, String detail) implements Frame {
        @Override
        public String kind() {
            return "refuse";
        }
    }

    /**
     * Liveness probe.
     *
     * @param nonce echoed in the {@link Pong}
     */
    record Ping(long nonce) implements Frame {
        @Override
        public String kind() {
            return "ping";
        }
    }

    /**
     * Answer to a {@link Ping}.
     *
     * @param nonce the ping's nonce
     */
    record Pong(long nonce) implements Frame {
        @Override
        public String kind() {
            return "pong";
        }
    }

    /** Asks a neighbour for the peers it knows. */
    record PeerRequest() implements Frame {
        @Override
        public String kind() {
            return "peer-request";
        }
    }

    /**
     * Peers the sender knows.
     *
     * @param peers the peers
     */
    record PeerList(List<PeerRecord> peers) implements Frame {
        /** Copies the list. */
        public PeerList {
            peers = List.copyOf(peers);
        }

        @Override
        public String kind() {
            return "peers";
        }
    }

    /**
     * A node that has just joined, passed along a random walk so that nodes far from where it
     * joined link to it too: where the walk ends (no hops left, or no other neighbour to pass it
     * to), the node dials the newcomer; half-way, it only remembers it.
     *
     * @param newcomer the node that joined, with its id and where it listens
     * @param ttl      hops the walk may still take, 0 to 255
     */
    record Join(PeerRecord newcomer, int ttl) implements Frame {
        /** Checks the newcomer has an id and the hops fit a byte. */
        public Join {
            if (newcomer == null || newcomer.id() == null) {
                throw new IllegalArgumentException("a join names its newcomer's id");
            }
            if (ttl < 0 || ttl > 255) {
                throw new IllegalArgumentException("ttl must be 0..255");
            }
        }

        @Override
        public String kind() {
            return "join";
        }
    }

    /**
     * An application message, broadcast or addressed.
     *
     * @param envelope the signed message
     * @param id       the message id as the sender computed it, or {@code null}. A hint only: it lets
     *                 a receiver drop a copy it has already seen before decoding it, and a receiver
     *                 that decodes the frame recomputes the id and refuses a frame whose hint differs
     */
    record Publish(Envelope envelope, dev.meshkit.api.MessageId id) implements Frame {
        @Override
        public String kind() {
            return "publish";
        }
    }

    /**
     * Messages the sender has and does not push on this link (lazy push). The receiver asks for the
     * ones it still lacks after a while with {@link Graft}.
     *
     * @param ids message ids
     */
    record IHave(List<dev.meshkit.api.MessageId> ids) implements Frame {
        /** Copies the list. */
        public IHave {
            ids = List.copyOf(ids);
        }

        @Override
        public String kind() {
            return "ihave";
        }
    }

    /**
     * Asks the receiver to push messages on this link from now on, and to send the listed ones now.
     *
     * @param ids messages the sender lacks; may be empty
     */
    record Graft(List<dev.meshkit.api.MessageId> ids) implements Frame {
        /** Copies the list. */
        public Graft {
            ids = List.copyOf(ids);
        }

        @Override
        public String kind() {
            return "graft";
        }
    }

    /**
     * Asks the receiver to stop pushing messages from these origins on this link and only announce
     * them.
     *
     * @param origins node ids of the origins concerned
     */
    record Prune(List<dev.meshkit.api.NodeId> origins) implements Frame {
        /** Copies the list. */
        public Prune {
            origins = List.copyOf(origins);
        }

        @Override
        public String kind() {
            return "prune";
        }
    }

    /**
     * The sender is closing the link on purpose.
     *
     * @param reason why, e.g. {@code shutdown} or {@code duplicate}
     */
    record Bye(String reason) implements Frame {
        @Override
        public String kind() {
            return "bye";
        }
    }
}
