package io.eden.application.spi;

import io.eden.domain.model.Endpoint;
import io.eden.domain.model.Interlay;
import io.eden.domain.routing.RouteDecision;
import io.eden.domain.routing.Router;
import io.eden.domain.routing.RoutingState;
import io.eden.domain.routing.Side;
import java.util.Objects;
import java.util.Optional;

/**
 * Where an interlay's traffic goes right now. Without a migration (or once it is over) all
 * of it goes to {@code source}, the interlay's endpoint; {@code source} is empty while the
 * interlay has no endpoint yet. {@code version} grows with every change.
 */
public record RouteSnapshot(Interlay interlay, Optional<Endpoint> source, Optional<Endpoint> target,
                            Optional<String> migrationId, Optional<RoutingState> state, long version) {
    public RouteSnapshot {
        Objects.requireNonNull(interlay, "interlay is null");
        Objects.requireNonNull(source, "source is null");
        Objects.requireNonNull(target, "target is null");
        Objects.requireNonNull(migrationId, "migrationId is null");
        Objects.requireNonNull(state, "state is null");
        if (state.isPresent() && target.isEmpty()) {
            throw new IllegalArgumentException("a migration route needs a target");
        }
    }

    public RouteDecision decide(int slot) {
        return state.map(s -> Router.decide(s, slot)).orElse(RouteDecision.SOURCE_ONLY);
    }

    public Optional<Endpoint> endpoint(Side side) {
        return side == Side.SOURCE ? source : target;
    }
}
