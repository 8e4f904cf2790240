package dev.meshkit.api.spi;

/**
 * A link encryption suite negotiated in the handshake. When both sides offer several, the strongest
 * suite both support is used; a node configured to require one refuses peers that lack it.
 */
public interface SecureChannelProvider {
    /** Stable suite name, e.g. {@code x25519-mlkem768-aes256gcm}. */
    String suite();

    /** Higher is stronger and preferred. */
    int priority();

    /** Starts a key agreement for one link. */
    ChannelHandshake handshake(ChannelContext context);
}
