package dev.meshkit.api.spi;

import dev.meshkit.api.MeshConfig;
import dev.meshkit.api.MeshNode;

/** The node runtime behind {@link dev.meshkit.api.Mesh#builder()}; mesh-core provides one. */
public interface MeshNodeFactory {
    /** Higher wins when several are present. */
    default int priority() {
        return 0;
    }

    /** A new, not yet started node. */
    MeshNode create(MeshConfig config);
}
