/**
 * MeshKit's WebSocket transport: the {@code ws} endpoint scheme, served by a Java-WebSocket server
 * and dialled with MeshKit's own non-blocking client.
 */
module dev.meshkit.transport.ws {
    requires transitive dev.meshkit.api;
    requires org.java_websocket;
    requires org.slf4j;

    exports dev.meshkit.transport.ws;

    provides dev.meshkit.api.spi.TransportProvider with dev.meshkit.transport.ws.WsTransportProvider;
}
