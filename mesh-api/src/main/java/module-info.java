/**
 * MeshKit's public API: the node, its value types and events, the wire frames, and the service
 * provider interfaces that plugins implement. Depends on the JDK only.
 */
module dev.meshkit.api {
    exports dev.meshkit.api;
    exports dev.meshkit.api.spi;
    exports dev.meshkit.api.wire;

    // Mesh.builder() finds the node runtime (mesh-core) through this SPI.
    uses dev.meshkit.api.spi.MeshNodeFactory;
}
