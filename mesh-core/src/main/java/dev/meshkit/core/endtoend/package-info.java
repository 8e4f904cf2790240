/**
 * End-to-end channels: addressed messages encrypted from their origin to their destination, so
 * the nodes that relay them cannot read them. A session is set up by a key exchange carried in
 * signed direct messages and used for the addressed messages that follow.
 */
package dev.meshkit.core.endtoend;
