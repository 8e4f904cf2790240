package dev.meshkit.api;

/** A registered handler or listener; {@link #cancel()} removes it. */
@FunctionalInterface
public interface Subscription extends AutoCloseable {
    /** Removes the registration. Idempotent. */
    void cancel();

    /** Same as {@link #cancel()}. */
    @Override
    default void close() {
        cancel();
    }
}
