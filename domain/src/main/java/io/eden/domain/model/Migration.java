package io.eden.domain.model;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A move of one or more interlays from their endpoint to a new one. Immutable: every
 * change returns a new migration together with the phase changes it made, so that the
 * caller can store both in one transaction.
 */
public record Migration(String id, String description, Strategy strategy, DataMode data,
                        FailureHandling failureHandling, Phase phase, Optional<String> phaseReason,
                        Map<String, InterlayAssignment> interlays, Instant createdAt, Instant updatedAt) {

    public Migration {
        Check.id("id", id);
        Objects.requireNonNull(description, "description is null");
        Check.required("strategy", strategy);
        Check.required("data", data);
        Check.required("failure_handling", failureHandling);
        Objects.requireNonNull(phase, "phase is null");
        Objects.requireNonNull(phaseReason, "phaseReason is null");
        interlays = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(interlays));
        Objects.requireNonNull(createdAt, "createdAt is null");
        Objects.requireNonNull(updatedAt, "updatedAt is null");
    }

    public static Migration create(String id, String description, Strategy strategy, DataMode data,
                                   FailureHandling failureHandling, Instant now) {
        if (strategy.writeMode() instanceof WriteMode.Cutover) {
            throw new io.eden.domain.error.InvalidValueException("strategy.write_mode.mode",
                    "strategy.write_mode.mode cannot be cutover before the migration has run; start with dual_write");
        }
        return new Migration(id, description == null ? "" : description, strategy, data, failureHandling,
                Phase.PENDING, Optional.empty(), Map.of(), now, now);
    }

    /** The result of a change: the new state and the phase steps it took, in order. */
    public record Change(Migration migration, List<PhaseChange> phaseChanges) {
        public Change {
            phaseChanges = List.copyOf(phaseChanges);
        }
    }

    public Change attach(InterlayAssignment assignment, Instant now) {
        if (phase != Phase.PENDING && phase != Phase.READY) {
            throw new IllegalPhaseChangeException(phase, Phase.READY,
                    "interlays can only be attached while the migration is pending or ready");
        }
        Map<String, InterlayAssignment> next = new LinkedHashMap<>(interlays);
        next.put(assignment.interlayId(), assignment);
        Migration attached = new Migration(id, description, strategy, data, failureHandling, phase, phaseReason,
                next, createdAt, now);
        return phase == Phase.READY ? new Change(attached, List.of()) : attached.moveTo(Phase.READY,
                "interlay " + assignment.interlayId() + " attached", now);
    }

    public Change moveTo(Phase target, String reason, Instant now) {
        if (!phase.canMoveTo(target)) {
            throw new IllegalPhaseChangeException(phase, target,
                    "cannot move from " + phase.wireName() + " to " + target.wireName());
        }
        if (target == Phase.REPLICATING && phase == Phase.ROLLED_BACK && strategy.writeMode() instanceof WriteMode.Cutover) {
            // writes would go to a target that has missed everything since the rollback
            throw new IllegalPhaseChangeException(phase, target, "the strategy still cuts writes over; PATCH"
                    + " strategy.write_mode back to dual_write before migrating again");
        }
        Migration moved = new Migration(id, description, strategy, data, failureHandling, target,
                Optional.ofNullable(reason).filter(r -> !r.isBlank()), interlays, createdAt, now);
        return new Change(moved, List.of(new PhaseChange(id, phase, target, reason == null ? "" : reason, now)));
    }

    /**
     * A new strategy. A cutover write mode moves the phase to {@code cutting_over}, and to
     * {@code cut_over} once every slot writes to the target; lowering it again goes back to
     * {@code cutting_over}. Going back to dual writes after a cutover is a rollback, not a patch.
     */
    public Change withStrategy(Strategy next, Instant now) {
        if (phase.isTerminal() || phase == Phase.ROLLING_BACK || phase == Phase.FAILED) {
            throw new IllegalPhaseChangeException(phase, phase,
                    "the strategy cannot change while the migration is " + phase.wireName());
        }
        Migration updated = new Migration(id, description, next, data, failureHandling, phase, phaseReason,
                interlays, createdAt, now);
        List<PhaseChange> steps = new ArrayList<>();
        if (next.writeMode() instanceof WriteMode.Cutover cutover) {
            if (phase == Phase.PENDING || phase == Phase.READY || phase == Phase.ROLLED_BACK) {
                throw new IllegalPhaseChangeException(phase, Phase.CUTTING_OVER,
                        "cutover needs the data moved first: POST /migrate");
            }
            if (phase == Phase.REPLICATING || phase == Phase.VALIDATING
                    || (phase == Phase.CUT_OVER && !cutover.isFull())) {
                Change step = updated.moveTo(Phase.CUTTING_OVER, "write cutover at " + cutover.writePercentage(), now);
                updated = step.migration();
                steps.addAll(step.phaseChanges());
            }
            if (cutover.isFull() && updated.phase == Phase.CUTTING_OVER) {
                Change step = updated.moveTo(Phase.CUT_OVER, "every write goes to the target", now);
                updated = step.migration();
                steps.addAll(step.phaseChanges());
            }
        } else if (phase == Phase.CUTTING_OVER || phase == Phase.CUT_OVER) {
            throw new IllegalPhaseChangeException(phase, Phase.ROLLING_BACK,
                    "writes already go to the target; use POST /rollback to send them back to the source");
        }
        return new Change(updated, steps);
    }

    public Optional<InterlayAssignment> assignment(String interlayId) {
        return Optional.ofNullable(interlays.get(interlayId));
    }
}
