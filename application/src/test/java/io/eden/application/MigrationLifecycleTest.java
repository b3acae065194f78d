package io.eden.application;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eden.application.error.ConflictException;
import io.eden.application.error.NotFoundException;
import io.eden.application.spi.RouteSnapshot;
import io.eden.application.spi.UnsupportedCapabilityException;
import io.eden.application.usecase.CreateMigration;
import io.eden.application.view.MigrationStatus;
import io.eden.application.view.MigrationView;
import io.eden.domain.model.IllegalPhaseChangeException;
import io.eden.domain.error.InvalidValueException;
import io.eden.domain.model.DataMode;
import io.eden.domain.model.FailureHandling;
import io.eden.domain.model.Health;
import io.eden.domain.model.Phase;
import io.eden.domain.model.PhaseChange;
import io.eden.domain.routing.RouteDecision;
import io.eden.domain.routing.Side;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class MigrationLifecycleTest {
    private Fixture eden;

    @AfterEach
    void close() throws Exception {
        if (eden != null) {
            eden.close();
        }
    }

    private Fixture moving() {
        eden = new Fixture(true);
        return eden;
    }

    private Fixture refusing() {
        eden = new Fixture(false);
        return eden;
    }

    private static List<String> steps(List<PhaseChange> history) {
        return history.stream().map(c -> c.from().wireName() + ">" + c.to().wireName()).toList();
    }

    @Test
    void createMigrationRefusesCutoverAndDuplicates() {
        refusing();
        InvalidValueException cut = assertThrows(InvalidValueException.class, () -> eden.uc.createMigration()
                .execute(new CreateMigration.Command("m1", "", Fixture.cutover(0, 0.5), null, null)));
        assertEquals("strategy.write_mode.mode", cut.field());
        MigrationView created = eden.uc.createMigration()
                .execute(new CreateMigration.Command("m1", null, Fixture.dual(0.1), null, null));
        assertEquals(Phase.PENDING, created.migration().phase());
        assertEquals(DataMode.DEFAULT, created.migration().data());
        assertEquals(new FailureHandling.RollbackAll(), created.migration().failureHandling());
        assertEquals(List.of(), created.routing());
        ConflictException dup = assertThrows(ConflictException.class, () -> eden.uc.createMigration()
                .execute(new CreateMigration.Command("m1", null, Fixture.dual(0.1), null, null)));
        assertEquals("already_exists", dup.code());
        assertEquals(1, eden.uc.listMigrations().execute().size());
        assertEquals(0.1, eden.uc.getMigration().execute("m1").migration().strategy().readPercentage());
    }

    @Test
    void startWithAnAdapterThatCannotMoveDataIsRefusedAndChangesNothing() {
        refusing().readyMigration();
        assertThrows(UnsupportedCapabilityException.class, () -> eden.uc.startMigration().execute("m1"));
        MigrationView m1 = eden.uc.getMigration().execute("m1");
        assertEquals(Phase.READY, m1.migration().phase());
        assertEquals(List.of("pending>ready"), steps(m1.history()));
        assertEquals(Optional.empty(), eden.route("cache").current().state());
        ConflictException validate = assertThrows(ConflictException.class,
                () -> eden.uc.validateMigration().execute("m1"));
        assertEquals("not_moving_data", validate.code());
    }

    @Test
    void startFromPendingIsAnIllegalPhaseChange() {
        moving();
        eden.migration("m1", new FailureHandling.RollbackAll());
        IllegalPhaseChangeException e = assertThrows(IllegalPhaseChangeException.class,
                () -> eden.uc.startMigration().execute("m1"));
        assertEquals(Phase.PENDING, e.current());
        assertThrows(NotFoundException.class, () -> eden.uc.startMigration().execute("nope"));
    }

    @Test
    void startMovesDataAndReplicates() {
        moving().readyMigration();
        MigrationView m1 = eden.uc.startMigration().execute("m1");
        assertEquals(Phase.REPLICATING, m1.migration().phase());
        assertEquals(List.of("pending>ready", "ready>replicating"), steps(m1.history()));
        FakeMovement movement = eden.redisAdapter().movement("cache");
        assertEquals("src", movement.request.source().id());
        assertEquals("dst", movement.request.target().id());
        assertEquals("cache", movement.request.assignment().interlayId());
        assertEquals(Phase.READY, movement.request.migration().phase());
        RouteSnapshot route = eden.route("cache").current();
        assertEquals(Phase.REPLICATING, route.state().orElseThrow().phase());
        assertFalse(route.state().orElseThrow().copyComplete());
        assertEquals("dst", route.target().orElseThrow().id());
        // dual write, old authoritative: source answers, target gets the mirror
        RouteDecision decision = route.decide(0);
        assertEquals(Side.SOURCE, decision.write());
        assertEquals(Optional.of(Side.TARGET), decision.mirror());
        assertEquals(16384, m1.routing().get(0).slotsMirroredToTarget());
        // checkpoints reach the store
        movement.request.checkpoints().save("cursor", "1234");
        assertEquals(Optional.of("1234"), eden.store.checkpoints().load("m1", "cache", "cursor"));
        assertEquals(Optional.of("1234"), movement.request.checkpoints().load("cursor"));
        // starting again is an illegal phase change and starts nothing
        assertThrows(IllegalPhaseChangeException.class, () -> eden.uc.startMigration().execute("m1"));
        assertEquals(1, eden.redisAdapter().movements.size());
    }

    @Test
    void statusShowsProgressAndReadyForCutoverOnlyWhenEverythingHolds() throws Exception {
        moving();
        FakeDatabase src = eden.database();
        FakeDatabase dst = eden.database();
        eden.uc.createEndpoint().execute(new io.eden.application.usecase.CreateEndpoint.Command("src", src.uri("redis")));
        eden.uc.createEndpoint().execute(new io.eden.application.usecase.CreateEndpoint.Command("dst", dst.uri("redis")));
        eden.interlay("cache", "src");
        eden.migration("m1", new FailureHandling.RollbackAll());
        eden.uc.attachInterlay().execute("m1", "cache", "dst");
        MigrationStatus ready = eden.uc.getMigrationStatus().execute("m1");
        assertEquals(Phase.READY, ready.phase());
        assertFalse(ready.readyForCutover());
        assertEquals(0, ready.progress().keysCopied());

        eden.uc.startMigration().execute("m1");
        FakeMovement movement = eden.redisAdapter().movement("cache");
        movement.progress(42, 100, false, 7);
        MigrationStatus copying = eden.uc.getMigrationStatus().execute("m1");
        assertEquals(Phase.REPLICATING, copying.phase());
        assertEquals(42, copying.progress().keysCopied());
        assertEquals(100, copying.progress().keysTotalEstimate());
        assertEquals(7, copying.replicationLagMs());
        assertFalse(copying.progress().copyComplete());
        assertEquals(Health.HEALTHY, copying.source());
        assertEquals(Health.HEALTHY, copying.target());
        assertFalse(copying.readyForCutover());
        assertEquals(42, eden.uc.getMigration().execute("m1").progress().keysCopied());

        // each condition alone: only when all hold is the migration ready for cutover
        movement.progress(100, 100, true, 0);
        MigrationStatus notValidated = eden.uc.getMigrationStatus().execute("m1");
        assertTrue(notValidated.progress().copyComplete());
        assertEquals(Optional.empty(), notValidated.lastValidation());
        assertFalse(notValidated.readyForCutover(), "never validated");

        movement.report(100, List.of("user:1", "user:2"));
        MigrationStatus dirty = eden.uc.validateMigration().execute("m1");
        assertEquals(2, dirty.lastValidation().orElseThrow().differences());
        assertEquals(List.of("cache:user:1", "cache:user:2"), dirty.lastValidation().orElseThrow().firstDifferences());
        assertFalse(dirty.readyForCutover(), "validation found differences");
        assertEquals(Phase.REPLICATING, dirty.phase(), "differences send the migration back to replicating");
        assertEquals(Optional.of("validation found 2 differences"), dirty.phaseReason());

        movement.report(100, List.of());
        MigrationStatus clean = eden.uc.validateMigration().execute("m1");
        assertEquals(100, clean.lastValidation().orElseThrow().keysCompared());
        assertTrue(clean.lastValidation().orElseThrow().clean());
        assertTrue(clean.readyForCutover());
        assertEquals(Phase.VALIDATING, clean.phase(), "a clean comparison leaves the migration validating");
        assertEquals(List.of("pending>ready", "ready>replicating", "replicating>validating",
                        "validating>replicating", "replicating>validating"),
                eden.uc.getMigration().execute("m1").history().stream()
                        .map(c -> c.from().wireName() + ">" + c.to().wireName()).toList());
        assertEquals(2, movement.validations.get());

        movement.progress(100, 100, true, 7);
        assertTrue(eden.uc.getMigrationStatus().execute("m1").readyForCutover(), "a mirror in flight is no lag");
        movement.progress(100, 100, true, 5_000);
        assertFalse(eden.uc.getMigrationStatus().execute("m1").readyForCutover(), "a side seconds behind");
        movement.progress(99, 100, false, 0);
        assertFalse(eden.uc.getMigrationStatus().execute("m1").readyForCutover(), "copy is not complete");
        movement.progress(100, 100, true, 0);
        assertTrue(eden.uc.getMigrationStatus().execute("m1").readyForCutover());

        dst.close();
        eden.clock.advance(Duration.ofSeconds(3));
        MigrationStatus targetDown = eden.uc.getMigrationStatus().execute("m1");
        assertEquals(Health.HEALTHY, targetDown.source());
        assertEquals(Health.UNHEALTHY, targetDown.target());
        assertFalse(targetDown.readyForCutover(), "target is down");
    }

    @Test
    void readyForCutoverNeedsAHealthySource() throws Exception {
        moving();
        FakeDatabase src = eden.database();
        eden.uc.createEndpoint().execute(new io.eden.application.usecase.CreateEndpoint.Command("src", src.uri("redis")));
        eden.endpoint("dst");
        eden.interlay("cache", "src");
        eden.migration("m1", new FailureHandling.RollbackAll());
        eden.uc.attachInterlay().execute("m1", "cache", "dst");
        eden.uc.startMigration().execute("m1");
        eden.redisAdapter().movement("cache").progress(10, 10, true, 0);
        assertTrue(eden.uc.validateMigration().execute("m1").readyForCutover());
        src.close();
        eden.clock.advance(Duration.ofSeconds(3));
        MigrationStatus status = eden.uc.getMigrationStatus().execute("m1");
        assertEquals(Health.UNHEALTHY, status.source());
        assertEquals(Health.HEALTHY, status.target());
        assertFalse(status.readyForCutover());
    }

    @Test
    void readyForCutoverIsFalseOnceCuttingOver() {
        moving().readyMigration();
        eden.uc.startMigration().execute("m1");
        FakeMovement movement = eden.redisAdapter().movement("cache");
        movement.progress(10, 10, true, 0);
        assertTrue(eden.uc.validateMigration().execute("m1").readyForCutover());
        eden.uc.updateMigrationStrategy().execute("m1", Fixture.cutover(0, 0.5));
        MigrationStatus status = eden.uc.getMigrationStatus().execute("m1");
        assertEquals(Phase.CUTTING_OVER, status.phase());
        assertFalse(status.readyForCutover());
    }

    @Test
    void aFailureReportedWhileStartingRollsBackAfterTheStartNotBeforeIt() {
        moving().readyMigration(new FailureHandling.RollbackAll());
        eden.redisAdapter().whileStarting = request -> request.events().failed("target refused the first copy batch");
        eden.uc.startMigration().execute("m1");
        MigrationView m1 = eden.uc.getMigration().execute("m1");
        assertEquals(Phase.ROLLED_BACK, m1.migration().phase());
        assertEquals(List.of("pending>ready", "ready>replicating", "replicating>rolling_back",
                        "rolling_back>rolled_back"),
                m1.history().stream().map(c -> c.from().wireName() + ">" + c.to().wireName()).toList());
        assertEquals(1, eden.redisAdapter().movement("cache").closes.get(), "the movement was stopped");
    }

    @Test
    void aCopyCompletedWhileStartingStillOpensCanaryReads() {
        moving().readyMigration();
        eden.redisAdapter().whileStarting = request -> {
            eden.redisAdapter().movements.get(0).progress(3, 3, true, 0);
            request.events().copyCompleted();
        };
        eden.uc.updateMigrationStrategy().execute("m1", Fixture.dual(1.0));
        eden.uc.startMigration().execute("m1");
        assertEquals(io.eden.domain.routing.Side.TARGET, eden.route("cache").current().decide(16383).read());
    }

    @Test
    void aReportedFailureWithRollbackAllRollsBackWithTheReason() {
        moving().readyMigration(new FailureHandling.RollbackAll());
        eden.uc.startMigration().execute("m1");
        FakeMovement movement = eden.redisAdapter().movement("cache");
        movement.request.events().failed("mirror to target timed out");
        MigrationView m1 = eden.uc.getMigration().execute("m1");
        assertEquals(Phase.ROLLED_BACK, m1.migration().phase());
        String reason = m1.migration().phaseReason().orElseThrow();
        assertTrue(reason.contains("mirror to target timed out"), reason);
        assertTrue(reason.contains("rollback_all"), reason);
        assertEquals(List.of("pending>ready", "ready>replicating", "replicating>rolling_back", "rolling_back>rolled_back"),
                steps(m1.history()));
        assertEquals(reason, m1.history().get(3).reason());
        assertEquals(1, movement.closes.get());
        RouteSnapshot route = eden.route("cache").current();
        assertEquals(Optional.empty(), route.state());
        assertEquals("src", route.source().orElseThrow().id());
        assertEquals(RouteDecision.SOURCE_ONLY, route.decide(0));
        assertEquals(0, m1.routing().get(0).slotsMirroredToTarget());
    }

    @Test
    void furtherFailuresAfterTheRollbackAreAbsorbed() {
        moving().readyMigration(new FailureHandling.RollbackAll());
        eden.uc.startMigration().execute("m1");
        var failures = eden.redisAdapter().movement("cache").request.events();
        failures.failed("first");
        // in-flight mirrors keep failing after the rollback: the adapter must not get an exception back
        failures.failed("second");
        MigrationView m1 = eden.uc.getMigration().execute("m1");
        assertEquals(Phase.ROLLED_BACK, m1.migration().phase());
        assertTrue(m1.migration().phaseReason().orElseThrow().endsWith("first"), m1.migration().phaseReason().get());
        assertEquals(4, m1.history().size());
    }

    @Test
    void aLateFailureAfterCompletionChangesNothing() {
        moving().readyMigration(new FailureHandling.RollbackAll());
        eden.uc.startMigration().execute("m1");
        eden.uc.updateMigrationStrategy().execute("m1", Fixture.cutover(1, 1));
        eden.uc.completeMigration().execute("m1");
        eden.redisAdapter().movement("cache").request.events().failed("late mirror reply");
        assertEquals(Phase.COMPLETED, eden.uc.getMigration().execute("m1").migration().phase());
    }

    @Test
    void aReportedFailureWithRetryThenAllAlsoRollsBack() {
        moving().readyMigration(new FailureHandling.RetryThenAll(3));
        eden.uc.startMigration().execute("m1");
        eden.redisAdapter().movement("cache").request.events().failed("still failing");
        MigrationView m1 = eden.uc.getMigration().execute("m1");
        assertEquals(Phase.ROLLED_BACK, m1.migration().phase());
        assertTrue(m1.migration().phaseReason().orElseThrow().contains("retry_then_all"));
    }

    @Test
    void aReportedFailureWithAllowPartialChangesNothing() {
        moving().readyMigration(new FailureHandling.AllowPartial());
        eden.uc.startMigration().execute("m1");
        FakeMovement movement = eden.redisAdapter().movement("cache");
        movement.request.events().failed("one key failed");
        MigrationView m1 = eden.uc.getMigration().execute("m1");
        assertEquals(Phase.REPLICATING, m1.migration().phase());
        assertEquals(List.of("pending>ready", "ready>replicating"), steps(m1.history()));
        assertEquals(0, movement.closes.get());
        assertEquals(Phase.REPLICATING, eden.route("cache").current().state().orElseThrow().phase());
    }

    @Test
    void rollbackFromReadyAddsTwoAuditEntries() {
        refusing().readyMigration();
        MigrationView m1 = eden.uc.rollbackMigration().execute("m1", "operator said so");
        assertEquals(Phase.ROLLED_BACK, m1.migration().phase());
        assertEquals(Optional.of("operator said so"), m1.migration().phaseReason());
        assertEquals(3, m1.history().size());
        assertEquals(new PhaseChange("m1", Phase.READY, Phase.ROLLING_BACK, "operator said so", eden.clock.instant()),
                m1.history().get(1));
        assertEquals(new PhaseChange("m1", Phase.ROLLING_BACK, Phase.ROLLED_BACK, "operator said so", eden.clock.instant()),
                m1.history().get(2));
        assertEquals(m1.history(), eden.store.migrations().history("m1"));
        assertEquals(Optional.empty(), eden.uc.getInterlay().execute("cache").migration());
        // and a second rollback is illegal
        IllegalPhaseChangeException again = assertThrows(IllegalPhaseChangeException.class,
                () -> eden.uc.rollbackMigration().execute("m1", "again"));
        assertEquals(Phase.ROLLED_BACK, again.current());
        assertEquals(3, eden.store.migrations().history("m1").size());
    }

    @Test
    void rollbackFromPendingIsIllegal() {
        refusing();
        eden.migration("m1", new FailureHandling.RollbackAll());
        assertThrows(IllegalPhaseChangeException.class, () -> eden.uc.rollbackMigration().execute("m1", "x"));
        assertEquals(Phase.PENDING, eden.uc.getMigration().execute("m1").migration().phase());
    }

    @Test
    void completeIsRefusedBeforeCutOverAndLeavesTheInterlayAlone() {
        moving().readyMigration();
        assertEquals(Phase.READY, assertThrows(IllegalPhaseChangeException.class,
                () -> eden.uc.completeMigration().execute("m1")).current());
        eden.uc.startMigration().execute("m1");
        assertEquals(Phase.REPLICATING, assertThrows(IllegalPhaseChangeException.class,
                () -> eden.uc.completeMigration().execute("m1")).current());
        eden.uc.updateMigrationStrategy().execute("m1", Fixture.cutover(0, 0.5));
        assertEquals(Phase.CUTTING_OVER, assertThrows(IllegalPhaseChangeException.class,
                () -> eden.uc.completeMigration().execute("m1")).current());
        assertEquals(Optional.of("src"), eden.store.interlays().find("cache").orElseThrow().endpointId());
        assertEquals(0, eden.redisAdapter().movement("cache").closes.get());
    }

    @Test
    void completeFromCutOverRebindsTheInterlayToTheTarget() {
        moving().readyMigration();
        eden.uc.startMigration().execute("m1");
        MigrationView cut = eden.uc.updateMigrationStrategy().execute("m1", Fixture.cutover(1.0, 1.0));
        assertEquals(Phase.CUT_OVER, cut.migration().phase());
        assertEquals(16384, cut.routing().get(0).writeSlotsOnTarget());
        assertEquals(16384, cut.routing().get(0).slotsMirroredToSource());
        RouteSnapshot during = eden.route("cache").current();
        assertEquals("src", during.source().orElseThrow().id());
        assertEquals(Side.TARGET, during.decide(16383).write());

        MigrationView done = eden.uc.completeMigration().execute("m1");
        assertEquals(Phase.COMPLETED, done.migration().phase());
        assertEquals(List.of("pending>ready", "ready>replicating", "replicating>cutting_over", "cutting_over>cut_over",
                "cut_over>completed"), steps(done.history()));
        assertEquals(Optional.of("dst"), eden.store.interlays().find("cache").orElseThrow().endpointId());
        RouteSnapshot after = eden.route("cache").current();
        assertEquals("dst", after.source().orElseThrow().id());
        assertEquals(Optional.empty(), after.target());
        assertEquals(Optional.empty(), after.state());
        assertEquals(Optional.empty(), after.migrationId());
        assertEquals(RouteDecision.SOURCE_ONLY, after.decide(0));
        assertTrue(after.version() > during.version());
        assertEquals(1, eden.redisAdapter().movement("cache").closes.get());
        assertEquals(Optional.of("dst"), eden.uc.getInterlay().execute("cache").endpoint());
        assertEquals(Optional.empty(), eden.uc.getInterlay().execute("cache").migration());
        // completed is final
        assertThrows(IllegalPhaseChangeException.class, () -> eden.uc.completeMigration().execute("m1"));
        assertThrows(IllegalPhaseChangeException.class, () -> eden.uc.rollbackMigration().execute("m1", "x"));
        assertThrows(IllegalPhaseChangeException.class,
                () -> eden.uc.updateMigrationStrategy().execute("m1", Fixture.cutover(1, 1)));
    }

    @Test
    void strategyUpdatesFollowThePhaseRules() {
        moving().readyMigration();
        IllegalPhaseChangeException early = assertThrows(IllegalPhaseChangeException.class,
                () -> eden.uc.updateMigrationStrategy().execute("m1", Fixture.cutover(0, 0.5)));
        assertEquals(Phase.READY, early.current());
        assertEquals(0.3, eden.uc.updateMigrationStrategy().execute("m1", Fixture.dual(0.3))
                .migration().strategy().readPercentage());
        eden.uc.startMigration().execute("m1");
        eden.uc.updateMigrationStrategy().execute("m1", Fixture.cutover(0.3, 0.5));
        IllegalPhaseChangeException back = assertThrows(IllegalPhaseChangeException.class,
                () -> eden.uc.updateMigrationStrategy().execute("m1", Fixture.dual(0.3)));
        assertEquals(Phase.CUTTING_OVER, back.current());
        MigrationView m1 = eden.uc.getMigration().execute("m1");
        assertEquals(Fixture.cutover(0.3, 0.5), m1.migration().strategy());
        assertEquals(8192, m1.routing().get(0).writeSlotsOnTarget());
        // the copy is not complete, so no read goes to the target whatever the percentage
        assertEquals(0, m1.routing().get(0).readSlotsOnTarget());
    }
}
