package dev.meshkit.api;

/** Receives a node's events on its event loop: return quickly. */
@FunctionalInterface
public interface MeshEventListener {
    /** Called for each event, in the order they happened. */
    void onEvent(MeshEvent event);
}
