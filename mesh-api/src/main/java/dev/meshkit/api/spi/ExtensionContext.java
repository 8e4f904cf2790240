package dev.meshkit.api.spi;

import dev.meshkit.api.MeshNode;

/** What a {@link MeshExtension} gets from the node it rides on. */
public interface ExtensionContext {
    /** The node, for messages, handlers and events. */
    MeshNode node();

    /** The node's runtime, for timers and randomness. */
    NodeRuntime runtime();
}
