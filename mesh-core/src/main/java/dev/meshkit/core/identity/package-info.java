/**
 * The built-in Ed25519 identity scheme. Internal to mesh-core: nodes reach it through
 * {@link dev.meshkit.api.spi.IdentityScheme} under the name {@code ed25519}, applications through
 * {@link dev.meshkit.core.Identities}.
 */
package dev.meshkit.core.identity;
