package io.eden.domain.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eden.domain.model.IllegalPhaseChangeException;
import io.eden.domain.error.InvalidValueException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class MigrationTest {
    private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");
    private static final Instant T1 = T0.plusSeconds(1);
    private static final Instant T2 = T0.plusSeconds(2);
    private static final Strategy DUAL = new Strategy.Canary(0.0, new WriteMode.DualWrite(WritePolicy.OLD_AUTHORITATIVE));
    private static final InterlayAssignment A = new InterlayAssignment("cache", "old", "new");
    private static final InterlayAssignment B = new InterlayAssignment("sessions", "old2", "new2");

    private static Migration pending() {
        return Migration.create("m1", null, DUAL, DataMode.DEFAULT, new FailureHandling.RollbackAll(), T0);
    }

    /** A migration in the given phase, built through the record (the phase machine is tested elsewhere). */
    private static Migration in(Phase phase, Strategy strategy) {
        return new Migration("m1", "", strategy, DataMode.DEFAULT, new FailureHandling.RollbackAll(), phase,
                Optional.empty(), java.util.Map.of(A.interlayId(), A), T0, T0);
    }

    private static Strategy cutover(double wp) {
        return new Strategy.Canary(0.25, new WriteMode.Cutover(wp));
    }

    @Test
    void createStartsPendingWithNoInterlays() {
        Migration m = pending();
        assertEquals(Phase.PENDING, m.phase());
        assertEquals("", m.description());
        assertTrue(m.interlays().isEmpty());
        assertEquals(T0, m.createdAt());
        assertEquals(T0, m.updatedAt());
        assertEquals(Optional.empty(), m.phaseReason());
    }

    @Test
    void createRefusesACutoverWriteMode() {
        InvalidValueException e = assertThrows(InvalidValueException.class, () -> Migration.create("m1", "",
                cutover(0.0), DataMode.DEFAULT, new FailureHandling.RollbackAll(), T0));
        assertEquals("strategy.write_mode.mode", e.field());
    }

    @Test
    void aRolledBackCutoverMigratesAgainOnlyWithDualWrites() {
        Migration rolledBack = in(Phase.ROLLED_BACK, cutover(1.0));
        IllegalPhaseChangeException e = assertThrows(IllegalPhaseChangeException.class,
                () -> rolledBack.moveTo(Phase.REPLICATING, "", T1));
        assertTrue(e.getMessage().contains("dual_write"), e.getMessage());
        Migration dual = rolledBack.withStrategy(DUAL, T1).migration();
        assertEquals(Phase.REPLICATING, dual.moveTo(Phase.REPLICATING, "", T2).migration().phase());
    }

    @Test
    void createChecksTheId() {
        InvalidValueException e = assertThrows(InvalidValueException.class,
                () -> Migration.create("bad id", "", DUAL, DataMode.DEFAULT, new FailureHandling.RollbackAll(), T0));
        assertEquals("id", e.field());
    }

    @Test
    void attachInPendingMovesToReadyWithOnePhaseChange() {
        Migration.Change change = pending().attach(A, T1);
        assertEquals(Phase.READY, change.migration().phase());
        assertEquals(List.of(A), List.copyOf(change.migration().interlays().values()));
        assertEquals(1, change.phaseChanges().size());
        PhaseChange step = change.phaseChanges().get(0);
        assertEquals("m1", step.migrationId());
        assertEquals(Phase.PENDING, step.from());
        assertEquals(Phase.READY, step.to());
        assertEquals(T1, step.at());
        assertTrue(step.reason().contains("cache"), step.reason());
        assertEquals(T1, change.migration().updatedAt());
        assertEquals(T0, change.migration().createdAt());
    }

    @Test
    void attachAgainInReadyAddsAnInterlayWithoutAPhaseChange() {
        Migration ready = pending().attach(A, T1).migration();
        Migration.Change change = ready.attach(B, T2);
        assertEquals(Phase.READY, change.migration().phase());
        assertEquals(List.of(), change.phaseChanges());
        assertEquals(List.of("cache", "sessions"), List.copyOf(change.migration().interlays().keySet()));
        assertEquals(Optional.of(B), change.migration().assignment("sessions"));
        assertEquals(T2, change.migration().updatedAt());
        // the original is untouched
        assertEquals(1, ready.interlays().size());
    }

    @ParameterizedTest
    @EnumSource(value = Phase.class, names = {"PENDING", "READY"}, mode = EnumSource.Mode.EXCLUDE)
    void attachOutsidePendingOrReadyIsRefused(Phase phase) {
        IllegalPhaseChangeException e = assertThrows(IllegalPhaseChangeException.class,
                () -> in(phase, DUAL).attach(B, T1));
        assertEquals(phase, e.current());
    }

    @Test
    void moveToIllegalTargetNamesTheCurrentPhase() {
        IllegalPhaseChangeException e = assertThrows(IllegalPhaseChangeException.class,
                () -> pending().moveTo(Phase.CUT_OVER, "x", T1));
        assertEquals(Phase.PENDING, e.current());
        assertEquals(Phase.CUT_OVER, e.requested());
        assertTrue(e.getMessage().contains("pending"), e.getMessage());
        assertTrue(e.getMessage().contains("cut_over"), e.getMessage());
    }

    @Test
    void moveToKeepsTheReasonOrDropsABlankOne() {
        Migration.Change c = pending().moveTo(Phase.FAILED, "disk full", T1);
        assertEquals(Phase.FAILED, c.migration().phase());
        assertEquals(Optional.of("disk full"), c.migration().phaseReason());
        assertEquals(List.of(new PhaseChange("m1", Phase.PENDING, Phase.FAILED, "disk full", T1)), c.phaseChanges());
        Migration.Change blank = pending().moveTo(Phase.READY, " ", T1);
        assertEquals(Optional.empty(), blank.migration().phaseReason());
        Migration.Change nul = pending().moveTo(Phase.READY, null, T1);
        assertEquals("", nul.phaseChanges().get(0).reason());
    }

    @ParameterizedTest
    @EnumSource(value = Phase.class, names = {"PENDING", "READY", "REPLICATING", "VALIDATING", "ROLLED_BACK"})
    void readPercentageChangeKeepsThePhase(Phase phase) {
        Strategy next = new Strategy.Canary(0.75, new WriteMode.DualWrite(WritePolicy.NEW_AUTHORITATIVE));
        Migration.Change change = in(phase, DUAL).withStrategy(next, T1);
        assertEquals(phase, change.migration().phase());
        assertEquals(next, change.migration().strategy());
        assertEquals(List.of(), change.phaseChanges());
        assertEquals(T1, change.migration().updatedAt());
    }

    @Test
    void readPercentageChangeDuringCutoverKeepsThePhase() {
        Migration.Change change = in(Phase.CUTTING_OVER, cutover(0.5))
                .withStrategy(new Strategy.Canary(0.9, new WriteMode.Cutover(0.5)), T1);
        assertEquals(Phase.CUTTING_OVER, change.migration().phase());
        assertEquals(0.9, change.migration().strategy().readPercentage());
        assertEquals(List.of(), change.phaseChanges());
    }

    @ParameterizedTest
    @EnumSource(value = Phase.class, names = {"REPLICATING", "VALIDATING"})
    void halfCutoverMovesToCuttingOver(Phase phase) {
        Migration.Change change = in(phase, DUAL).withStrategy(cutover(0.5), T1);
        assertEquals(Phase.CUTTING_OVER, change.migration().phase());
        assertEquals(1, change.phaseChanges().size());
        assertEquals(phase, change.phaseChanges().get(0).from());
        assertEquals(Phase.CUTTING_OVER, change.phaseChanges().get(0).to());
        assertEquals(cutover(0.5), change.migration().strategy());
    }

    @Test
    void zeroCutoverAlsoMovesToCuttingOver() {
        Migration.Change change = in(Phase.REPLICATING, DUAL).withStrategy(cutover(0.0), T1);
        assertEquals(Phase.CUTTING_OVER, change.migration().phase());
        assertEquals(1, change.phaseChanges().size());
    }

    @Test
    void fullCutoverFromReplicatingTakesTwoStepsInOrder() {
        Migration.Change change = in(Phase.REPLICATING, DUAL).withStrategy(cutover(1.0), T1);
        assertEquals(Phase.CUT_OVER, change.migration().phase());
        assertEquals(2, change.phaseChanges().size());
        assertEquals(Phase.REPLICATING, change.phaseChanges().get(0).from());
        assertEquals(Phase.CUTTING_OVER, change.phaseChanges().get(0).to());
        assertEquals(Phase.CUTTING_OVER, change.phaseChanges().get(1).from());
        assertEquals(Phase.CUT_OVER, change.phaseChanges().get(1).to());
        assertEquals(T1, change.phaseChanges().get(1).at());
    }

    @Test
    void fullCutoverFromCuttingOverTakesOneStep() {
        Migration.Change change = in(Phase.CUTTING_OVER, cutover(0.5)).withStrategy(cutover(1.0), T1);
        assertEquals(Phase.CUT_OVER, change.migration().phase());
        assertEquals(1, change.phaseChanges().size());
        assertEquals(Phase.CUTTING_OVER, change.phaseChanges().get(0).from());
    }

    @Test
    void fullCutoverAgainInCutOverChangesNothing() {
        Migration.Change change = in(Phase.CUT_OVER, cutover(1.0)).withStrategy(
                new Strategy.Canary(1.0, new WriteMode.Cutover(1.0)), T1);
        assertEquals(Phase.CUT_OVER, change.migration().phase());
        assertEquals(List.of(), change.phaseChanges());
    }

    @Test
    void loweringTheCutoverFromCutOverGoesBackToCuttingOver() {
        Migration.Change change = in(Phase.CUT_OVER, cutover(1.0)).withStrategy(cutover(0.5), T1);
        assertEquals(Phase.CUTTING_OVER, change.migration().phase());
        assertEquals(1, change.phaseChanges().size());
        assertEquals(Phase.CUT_OVER, change.phaseChanges().get(0).from());
        assertEquals(Phase.CUTTING_OVER, change.phaseChanges().get(0).to());
    }

    @ParameterizedTest
    @EnumSource(value = Phase.class, names = {"CUTTING_OVER", "CUT_OVER"})
    void dualWriteAfterCutoverIsRefused(Phase phase) {
        Migration m = in(phase, cutover(phase == Phase.CUT_OVER ? 1.0 : 0.5));
        IllegalPhaseChangeException e = assertThrows(IllegalPhaseChangeException.class,
                () -> m.withStrategy(DUAL, T1));
        assertEquals(phase, e.current());
    }

    @ParameterizedTest
    @EnumSource(value = Phase.class, names = {"COMPLETED", "FAILED", "ROLLING_BACK"})
    void noStrategyChangeWhenOverOrFailedOrRollingBack(Phase phase) {
        IllegalPhaseChangeException dual = assertThrows(IllegalPhaseChangeException.class,
                () -> in(phase, DUAL).withStrategy(DUAL, T1));
        assertEquals(phase, dual.current());
        IllegalPhaseChangeException cut = assertThrows(IllegalPhaseChangeException.class,
                () -> in(phase, DUAL).withStrategy(cutover(1.0), T1));
        assertEquals(phase, cut.current());
    }

    @ParameterizedTest
    @EnumSource(value = Phase.class, names = {"PENDING", "READY", "ROLLED_BACK"})
    void cutoverBeforeDataMovedIsRefused(Phase phase) {
        IllegalPhaseChangeException e = assertThrows(IllegalPhaseChangeException.class,
                () -> in(phase, DUAL).withStrategy(cutover(0.5), T1));
        assertEquals(phase, e.current());
        assertEquals(Phase.CUTTING_OVER, e.requested());
    }

    @Test
    void changesDoNotTouchTheOriginal() {
        Migration m = in(Phase.REPLICATING, DUAL);
        Migration.Change change = m.withStrategy(cutover(1.0), T1);
        assertSame(DUAL, m.strategy());
        assertEquals(Phase.REPLICATING, m.phase());
        assertEquals(T0, m.updatedAt());
        assertEquals(Phase.CUT_OVER, change.migration().phase());
    }

    @Test
    void interlaysMapIsReadOnly() {
        Migration m = pending().attach(A, T1).migration();
        assertThrows(UnsupportedOperationException.class, () -> m.interlays().put("x", B));
    }
}
