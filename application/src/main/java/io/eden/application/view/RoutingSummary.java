package io.eden.application.view;

import io.eden.application.spi.RouteSnapshot;
import io.eden.domain.routing.HashSlot;
import io.eden.domain.routing.RouteDecision;
import io.eden.domain.routing.Side;

/** How one interlay's 16384 slots are routed right now, counted. */
public record RoutingSummary(String interlay, String source, String target, int readSlotsOnTarget,
                             int writeSlotsOnTarget, int slotsMirroredToTarget, int slotsMirroredToSource) {

    public static RoutingSummary of(String interlay, String source, String target, RouteSnapshot route) {
        int reads = 0;
        int writes = 0;
        int mirrorTarget = 0;
        int mirrorSource = 0;
        for (int slot = 0; slot < HashSlot.COUNT; slot++) {
            RouteDecision decision = route.decide(slot);
            reads += decision.read() == Side.TARGET ? 1 : 0;
            writes += decision.write() == Side.TARGET ? 1 : 0;
            if (decision.mirror().isPresent()) {
                mirrorTarget += decision.mirror().get() == Side.TARGET ? 1 : 0;
                mirrorSource += decision.mirror().get() == Side.SOURCE ? 1 : 0;
            }
        }
        return new RoutingSummary(interlay, source, target, reads, writes, mirrorTarget, mirrorSource);
    }
}
