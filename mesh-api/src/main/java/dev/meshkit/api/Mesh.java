package dev.meshkit.api;

import dev.meshkit.api.spi.MeshNodeFactory;
import java.util.Comparator;
import java.util.ServiceLoader;

/** Entry point: {@code Mesh.builder()...build()} makes a node. */
public final class Mesh {
    private Mesh() {
    }

    /** A builder with every option at its default. */
    public static MeshBuilder builder() {
        return new MeshBuilder();
    }

    /**
     * A node for {@code config}, made by the highest-priority {@link MeshNodeFactory} present.
     *
     * @throws MeshException {@code MISSING_PROVIDER} when no node runtime (mesh-core) is present
     */
    public static MeshNode create(MeshConfig config) {
        MeshNodeFactory factory = ServiceLoader.load(MeshNodeFactory.class, Mesh.class.getClassLoader()).stream()
                .map(ServiceLoader.Provider::get)
                .max(Comparator.comparingInt(MeshNodeFactory::priority))
                .orElseThrow(() -> new MeshException(ErrorCode.MISSING_PROVIDER,
                        "no node runtime found: add dev.meshkit:mesh-core"));
        return factory.create(config);
    }
}
