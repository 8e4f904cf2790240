package dev.meshkit.core.node;

import dev.meshkit.api.MeshConfig;
import dev.meshkit.api.MeshNode;
import dev.meshkit.api.spi.MeshNodeFactory;

/** Makes {@link CoreNode}s for {@code Mesh.builder()}. */
public final class CoreNodeFactory implements MeshNodeFactory {
    @Override
    public MeshNode create(MeshConfig config) {
        return new CoreNode(config);
    }
}
