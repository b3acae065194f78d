package io.eden.adapters.redis.support;

import io.eden.application.spi.RouteSnapshot;
import io.eden.application.spi.RouteView;
import io.eden.domain.model.Endpoint;
import io.eden.domain.model.Interlay;
import io.eden.domain.model.Phase;
import io.eden.domain.model.Strategy;
import io.eden.domain.routing.RoutingState;
import java.util.Optional;

/** A migration route the test moves along, as the application's routes would. */
public final class MovingRoute implements RouteView {
    private final Interlay interlay;
    private final Endpoint source;
    private final Endpoint target;
    private volatile RouteSnapshot current;
    private long version;

    public MovingRoute(Interlay interlay, Endpoint source, Endpoint target, Phase phase, Strategy strategy) {
        this(interlay, source, target);
        move(phase, strategy, false);
    }

    /** A route with no migration yet: everything goes to {@code source} until {@link #move}. */
    public static MovingRoute notMigrating(Interlay interlay, Endpoint source, Endpoint target) {
        return new MovingRoute(interlay, source, target);
    }

    private MovingRoute(Interlay interlay, Endpoint source, Endpoint target) {
        this.interlay = interlay.boundTo(source.id());
        this.source = source;
        this.target = target;
        this.current = new RouteSnapshot(this.interlay, Optional.of(source), Optional.empty(), Optional.empty(),
                Optional.empty(), ++version);
    }

    public synchronized void move(Phase phase, Strategy strategy, boolean copyComplete) {
        current = new RouteSnapshot(interlay, Optional.of(source), Optional.of(target), Optional.of("m1"),
                Optional.of(new RoutingState(phase, strategy, copyComplete)), ++version);
    }

    @Override
    public RouteSnapshot current() {
        return current;
    }

    @Override
    public AutoCloseable subscribe(java.util.function.Consumer<RouteSnapshot> listener) {
        return () -> {
        };
    }
}
