package dev.meshkit.api;

/**
 * Receives the messages of one type. Called on the node's event loop: return quickly and hand long
 * work to an executor of your own.
 */
@FunctionalInterface
public interface MessageHandler {
    /** Called once for each message of the subscribed type. */
    void onMessage(Message message);
}
