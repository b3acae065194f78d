package io.eden.application;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eden.application.spi.UnsupportedCapabilityException;
import io.eden.application.usecase.ResumeMigrations;
import io.eden.domain.model.Phase;
import io.eden.domain.routing.Side;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ResumeMigrationsTest {

    @Test
    void aRestartResumesMovingMigrationsFromTheirCheckpointsAndLeavesTheRestAlone() throws Exception {
        Fixture first = new Fixture(true);
        first.readyMigration();
        first.migration("idle", new io.eden.domain.model.FailureHandling.RollbackAll());
        first.uc.startMigration().execute("m1");
        first.redisAdapter().movement("cache").request.checkpoints().save("cursor", "4711");
        first.close();

        try (Fixture second = new Fixture(true, first.store)) {
            second.uc.startInterlayListeners().execute();
            assertEquals(List.of(), second.uc.resumeMigrations().execute());
            FakeMovement resumed = second.redisAdapter().movement("cache");
            assertEquals(Optional.of("4711"), resumed.request.checkpoints().load("cursor"),
                    "the resumed movement reads the checkpoint the first process saved");
            assertEquals(Phase.REPLICATING, second.uc.getMigration().execute("m1").migration().phase());
            assertEquals(1, second.redisAdapter().movements.size(), "the pending migration moves nothing");
            assertEquals(List.of(), second.uc.resumeMigrations().execute(), "a second call starts nothing twice");
            assertEquals(1, second.redisAdapter().movements.size());

            resumed.progress(9, 9, true, 0);
            resumed.request.events().copyCompleted();
            second.uc.updateMigrationStrategy().execute("m1", Fixture.dual(1.0));
            assertEquals(Side.TARGET, second.route("cache").current().decide(0).read());
        }
    }

    @Test
    void anAdapterThatCannotResumeIsReportedNotFatal() throws Exception {
        Fixture first = new Fixture(true);
        first.readyMigration();
        first.uc.startMigration().execute("m1");
        first.close();

        try (Fixture second = new Fixture(false, first.store)) {
            second.uc.startInterlayListeners().execute();
            List<ResumeMigrations.Failure> failures = second.uc.resumeMigrations().execute();
            assertEquals(1, failures.size());
            assertEquals("m1", failures.get(0).migration().id());
            assertTrue(failures.get(0).cause() instanceof UnsupportedCapabilityException);
            assertEquals(Phase.REPLICATING, second.uc.getMigration().execute("m1").migration().phase());
        }
    }
}
