package dev.meshkit.core.runtime;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/** Passing results between futures without the wrappers that dependent stages add. */
public final class Futures {
    private Futures() {
    }

    /** Completes {@code target} as {@code source} completes, with the cause itself on failure. */
    public static <T> void forward(CompletableFuture<? extends T> source, CompletableFuture<T> target) {
        source.whenComplete((v, err) -> {
            if (err != null) {
                target.completeExceptionally(cause(err));
            } else {
                target.complete(v);
            }
        });
    }

    /** The failure a dependent stage wrapped, or {@code err} itself. */
    public static Throwable cause(Throwable err) {
        return err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
    }
}
