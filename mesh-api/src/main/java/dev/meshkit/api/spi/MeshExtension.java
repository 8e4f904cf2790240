package dev.meshkit.api.spi;

/** A service riding on a node, such as a beacon, a heartbeat or RTT ranging. */
public interface MeshExtension {
    /** Stable name, for logs. */
    String name();

    /** Called once after the node started. */
    void start(ExtensionContext context);

    /** Called once before the node stops. */
    void stop();
}
