package io.eden.domain.routing;

import io.eden.domain.model.WriteMode;

/**
 * The routing decision, the same for every protocol: given a migration's state and a
 * hash slot, where reads go, which side is authoritative for writes, and where the mirror
 * goes. Percentages select the lowest slots, so a key never flips between sides at random
 * and raising a percentage only ever moves more slots, never different ones.
 */
public final class Router {

    private Router() {
    }

    public static RouteDecision decide(RoutingState state, int slot) {
        if (slot < 0 || slot >= HashSlot.COUNT) {
            throw new IllegalArgumentException("slot " + slot + " is outside 0.." + (HashSlot.COUNT - 1));
        }
        return switch (state.phase()) {
            case PENDING, READY, ROLLING_BACK, ROLLED_BACK, FAILED -> RouteDecision.SOURCE_ONLY;
            case COMPLETED -> RouteDecision.TARGET_ONLY;
            case REPLICATING, VALIDATING, CUTTING_OVER, CUT_OVER -> duringMigration(state, slot);
        };
    }

    private static RouteDecision duringMigration(RoutingState state, int slot) {
        // Until the copy is complete the target misses keys, so every read stays on the source.
        Side read = state.copyComplete() && slot < HashSlot.boundary(state.strategy().readPercentage())
                ? Side.TARGET : Side.SOURCE;
        return switch (state.strategy().writeMode()) {
            case WriteMode.DualWrite dual -> switch (dual.policy()) {
                case OLD_AUTHORITATIVE -> RouteDecision.writeTo(read, Side.SOURCE, false);
                case NEW_AUTHORITATIVE -> RouteDecision.writeTo(read, Side.TARGET, false);
                case BEST_EFFORT -> RouteDecision.writeTo(read, Side.SOURCE, true);
            };
            case WriteMode.Cutover cutover -> RouteDecision.writeTo(read,
                    slot < HashSlot.boundary(cutover.writePercentage()) ? Side.TARGET : Side.SOURCE, false);
        };
    }
}
