package dev.meshkit.api.spi;

/**
 * One side of one link's ephemeral key agreement, made by a {@link SecureChannelProvider}. The
 * dialler calls {@link #offer()} and later {@link #finish(byte[])}; the listener calls
 * {@link #answer(byte[])}. The node derives the link's keys from {@link #secret()}, binds them to
 * the signed handshake transcript, and calls {@link #close()} as soon as it has, so a later theft
 * of either node's memory cannot recover them (forward secrecy). Used by one thread at a time.
 */
public interface KeyExchange extends AutoCloseable {
    /** The dialler's public share, sent in its hello. */
    byte[] offer();

    /**
     * The listener's side: takes the dialler's share and returns its own, after which
     * {@link #secret()} is ready.
     *
     * @throws ChannelException {@code MALFORMED} if the share is not a valid public share
     */
    byte[] answer(byte[] offer) throws ChannelException;

    /**
     * The dialler's side: takes the listener's share, after which {@link #secret()} is ready.
     *
     * @throws ChannelException {@code MALFORMED} if the share is not a valid answer
     */
    void finish(byte[] answer) throws ChannelException;

    /** The shared secret; the caller must not keep it past {@link #close()}. */
    byte[] secret();

    /** Erases the ephemeral private keys and the secret. */
    @Override
    void close();
}
