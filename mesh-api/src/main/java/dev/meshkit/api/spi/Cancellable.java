package dev.meshkit.api.spi;

/** A scheduled task that can be called off. */
@FunctionalInterface
public interface Cancellable {
    /** Stops the task from running if it has not run yet. Idempotent. */
    void cancel();
}
