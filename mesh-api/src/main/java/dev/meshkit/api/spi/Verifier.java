package dev.meshkit.api.spi;

/** Checks signatures made with one public key. Thread-safe; built once per key and reused. */
@FunctionalInterface
public interface Verifier {
    /** True if {@code signature} is valid over {@code data}; false for any malformed input. */
    boolean verify(byte[] data, byte[] signature);
}
