package dev.meshkit.api.spi;

/** Makes the {@link Router} of a node. */
public interface RouterProvider {
    /** Stable name, e.g. {@code neighbours}. */
    String name();

    /** Higher wins when the builder names no router. */
    default int priority() {
        return 0;
    }

    /** A router for one node. */
    Router create(RouterContext context);
}
