package dev.meshkit.api.spi;

/**
 * One side of a secure channel's key agreement, driven message by message by the node's handshake.
 */
public interface ChannelHandshake {
    /**
     * Consumes the peer's last handshake message ({@code null} to start) and returns the next
     * message to send, or {@code null} when this side has nothing more to send.
     */
    byte[] next(byte[] inbound) throws ChannelException;

    /** True when keys are agreed and confirmed. */
    boolean isComplete();

    /** The channel, once {@link #isComplete()}. */
    SecureChannel channel();
}
