package dev.meshkit.api.spi;

/** An established encrypted link: one sealing direction and one opening direction. */
public interface SecureChannel {
    /** Encrypts and authenticates one outbound frame. Called on the node's event loop. */
    byte[] seal(byte[] plaintext);

    /** Authenticates and decrypts one inbound record; replayed, reordered or tampered ones throw. */
    byte[] open(byte[] record) throws ChannelException;
}
