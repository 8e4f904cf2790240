/**
 * The JSON frame codec. Internal to mesh-core: nodes reach it through
 * {@link dev.meshkit.api.spi.CodecProvider} under the name {@code json}.
 */
package dev.meshkit.core.codec;
