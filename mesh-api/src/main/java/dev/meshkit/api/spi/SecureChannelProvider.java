package dev.meshkit.api.spi;

/**
 * A link encryption suite: the key agreement it runs in the handshake. The node does the rest the
 * same way for every suite (signed transcript, HKDF-SHA-256 key schedule, key confirmation,
 * AES-256-GCM records, rekeying), so a suite only has to get its key agreement right. When both
 * sides have several, the strongest suite both support is used.
 */
public interface SecureChannelProvider {
    /** Stable suite name used on the wire, e.g. {@code x25519-mlkem768-aes256gcm}. */
    String suite();

    /** Higher is stronger and preferred. */
    int priority();

    /** True if the key agreement resists a quantum computer. */
    boolean postQuantum();

    /** A fresh key agreement for one side of one handshake. */
    KeyExchange keyExchange();
}
