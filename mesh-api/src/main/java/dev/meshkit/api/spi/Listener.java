package dev.meshkit.api.spi;

import dev.meshkit.api.Endpoint;

/** An open listening endpoint of a {@link Transport}. */
public interface Listener extends AutoCloseable {
    /** The endpoint actually bound. */
    Endpoint endpoint();

    /** Stops accepting; open connections stay open. */
    @Override
    void close();
}
