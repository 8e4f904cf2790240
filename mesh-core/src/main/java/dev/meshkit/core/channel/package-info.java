/**
 * Link encryption: the suite negotiation carried by the handshake, the HKDF-SHA-256 key schedule
 * bound to the signed transcript, and the AES-256-GCM record layer with its rekeying.
 */
package dev.meshkit.core.channel;
