/**
 * Service provider interfaces. Plugins implement these and register with both
 * {@code provides ... with} in their {@code module-info.java} and a {@code META-INF/services} file.
 * When several providers of one SPI are present, the builder's explicit choice wins, then the
 * highest {@code priority()}; the node logs its choice at start.
 */
package dev.meshkit.api.spi;
