package io.eden.domain.routing;

import io.eden.domain.model.Migration;
import io.eden.domain.model.Phase;
import io.eden.domain.model.Strategy;
import java.util.Objects;

/** What the routing decision needs to know of a migration; {@code copyComplete} gates canary reads. */
public record RoutingState(Phase phase, Strategy strategy, boolean copyComplete) {
    public RoutingState {
        Objects.requireNonNull(phase, "phase is null");
        Objects.requireNonNull(strategy, "strategy is null");
    }

    public static RoutingState of(Migration migration, boolean copyComplete) {
        return new RoutingState(migration.phase(), migration.strategy(), copyComplete);
    }
}
