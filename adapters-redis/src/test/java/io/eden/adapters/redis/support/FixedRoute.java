package io.eden.adapters.redis.support;

import io.eden.application.spi.RouteSnapshot;
import io.eden.application.spi.RouteView;
import io.eden.domain.model.Endpoint;
import io.eden.domain.model.Interlay;
import java.util.Optional;

/** A route that never changes: all traffic to one endpoint, or none yet. */
public record FixedRoute(RouteSnapshot current) implements RouteView {

    public static FixedRoute to(Interlay interlay, Endpoint source) {
        return new FixedRoute(new RouteSnapshot(interlay.boundTo(source.id()), Optional.of(source), Optional.empty(),
                Optional.empty(), Optional.empty(), 1));
    }

    public static FixedRoute unbound(Interlay interlay) {
        return new FixedRoute(new RouteSnapshot(interlay, Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), 1));
    }

    @Override
    public AutoCloseable subscribe(java.util.function.Consumer<RouteSnapshot> listener) {
        return () -> {
        };
    }
}
