package dev.meshkit.api.spi;

/** Signs with one private key. Thread-safe. */
@FunctionalInterface
public interface Signer {
    /** The signature over {@code data}. */
    byte[] sign(byte[] data);
}
