package io.eden.domain.model;

import io.eden.domain.error.InvalidValueException;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * Where a migration stands. The legal moves are listed once, here, so every caller
 * (API, copier, failure handling) is held to the same machine.
 */
public enum Phase {
    PENDING, READY, REPLICATING, VALIDATING, CUTTING_OVER, CUT_OVER, COMPLETED,
    ROLLING_BACK, ROLLED_BACK, FAILED;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Phase fromWireName(String field, String name) {
        for (Phase phase : values()) {
            if (phase.wireName().equals(name)) {
                return phase;
            }
        }
        throw new InvalidValueException(field, field + " has unknown phase '" + name + "'");
    }

    public Set<Phase> next() {
        return switch (this) {
            case PENDING -> EnumSet.of(READY, FAILED);
            case READY -> EnumSet.of(REPLICATING, ROLLING_BACK, FAILED);
            case REPLICATING -> EnumSet.of(VALIDATING, CUTTING_OVER, ROLLING_BACK, FAILED);
            case VALIDATING -> EnumSet.of(REPLICATING, CUTTING_OVER, ROLLING_BACK, FAILED);
            case CUTTING_OVER -> EnumSet.of(CUT_OVER, ROLLING_BACK, FAILED);
            case CUT_OVER -> EnumSet.of(CUTTING_OVER, COMPLETED, ROLLING_BACK, FAILED);
            case ROLLING_BACK -> EnumSet.of(ROLLED_BACK, FAILED);
            case ROLLED_BACK -> EnumSet.of(REPLICATING);
            case FAILED -> EnumSet.of(ROLLING_BACK);
            case COMPLETED -> EnumSet.noneOf(Phase.class);
        };
    }

    public boolean canMoveTo(Phase target) {
        return next().contains(target);
    }

    /** Data is moving or traffic is shifted: the target takes part in routing. */
    public boolean isActive() {
        return switch (this) {
            case REPLICATING, VALIDATING, CUTTING_OVER, CUT_OVER, COMPLETED -> true;
            default -> false;
        };
    }

    public boolean isTerminal() {
        return this == COMPLETED;
    }
}
