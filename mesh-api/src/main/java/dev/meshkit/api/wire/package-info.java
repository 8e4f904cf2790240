/**
 * The frames nodes exchange, independent of how a {@link dev.meshkit.api.spi.Codec} encodes them.
 * Byte arrays in these records are owned by the record: do not change them after construction.
 */
package dev.meshkit.api.wire;
