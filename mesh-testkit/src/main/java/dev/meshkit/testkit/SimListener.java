package dev.meshkit.testkit;

import dev.meshkit.api.Endpoint;
import dev.meshkit.api.spi.ConnectionHandler;
import dev.meshkit.api.spi.Listener;

/** A bound {@code sim://} endpoint; closing it unbinds the endpoint and leaves connections open. */
final class SimListener implements Listener {
    final SimTransport transport;
    final Endpoint endpoint;
    final ConnectionHandler handler;

    SimListener(SimTransport transport, Endpoint endpoint, ConnectionHandler handler) {
        this.transport = transport;
        this.endpoint = endpoint;
        this.handler = handler;
    }

    @Override
    public Endpoint endpoint() {
        return endpoint;
    }

    @Override
    public void close() {
        synchronized (transport.network.lock) {
            transport.network.unbind(this);
        }
    }

    @Override
    public String toString() {
        return "SimListener[" + endpoint + " of " + transport.node.name + "]";
    }
}
