package dev.meshkit.core.node;

import dev.meshkit.api.ErrorCode;
import dev.meshkit.api.MeshException;
import java.util.Comparator;
import java.util.List;
import java.util.ServiceLoader;
import java.util.function.Function;
import java.util.function.ToIntFunction;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds SPI providers with {@link ServiceLoader} (this module declares the {@code uses}) and picks
 * one: the name the builder gave wins, else the highest priority. The choice is logged.
 */
final class Plugins {
    private static final Logger LOG = LoggerFactory.getLogger(Plugins.class);

    private Plugins() {
    }

    static <T> List<T> all(Class<T> spi) {
        return ServiceLoader.load(spi, Plugins.class.getClassLoader()).stream()
                .map(ServiceLoader.Provider::get)
                .collect(Collectors.toList());
    }

    static <T> T choose(Class<T> spi, String wanted, Function<T, String> name, ToIntFunction<T> priority) {
        List<T> found = all(spi);
        T chosen;
        if (wanted != null) {
            chosen = found.stream().filter(p -> name.apply(p).equals(wanted)).findFirst()
                    .orElseThrow(() -> new MeshException(ErrorCode.MISSING_PROVIDER, spi.getSimpleName() + " '"
                            + wanted + "' not found; present: " + found.stream().map(name).collect(Collectors.toList())));
        } else {
            chosen = found.stream().max(Comparator.comparingInt(priority))
                    .orElseThrow(() -> new MeshException(ErrorCode.MISSING_PROVIDER, "no " + spi.getSimpleName()));
        }
        LOG.debug("{}: using '{}' of {}", spi.getSimpleName(), name.apply(chosen),
                found.stream().map(name).collect(Collectors.toList()));
        return chosen;
    }
}
