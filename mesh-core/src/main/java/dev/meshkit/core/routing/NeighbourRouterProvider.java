package dev.meshkit.core.routing;

import dev.meshkit.api.NoRouteException;
import dev.meshkit.api.spi.Router;
import dev.meshkit.api.spi.RouterContext;
import dev.meshkit.api.spi.RouterProvider;
import java.util.concurrent.CompletableFuture;

/**
 * The fallback router: reaches neighbours only (the node handles those itself), so anything it is
 * asked to route fails with {@link NoRouteException}. Routing modules replace it by priority.
 */
public final class NeighbourRouterProvider implements RouterProvider {
    @Override
    public String name() {
        return "neighbours";
    }

    @Override
    public int priority() {
        return -100;
    }

    @Override
    public Router create(RouterContext context) {
        return envelope -> CompletableFuture.failedFuture(
                new NoRouteException(envelope.destination(), "not a neighbour, and no routing module is installed"));
    }
}
