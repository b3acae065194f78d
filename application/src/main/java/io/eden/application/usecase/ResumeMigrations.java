package io.eden.application.usecase;

import io.eden.application.port.out.MigrationRepository;
import io.eden.application.service.MigrationRuntime;
import io.eden.domain.model.Migration;
import io.eden.domain.model.Phase;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * At server start, restarts the data movement of every migration whose stored phase says data
 * is moving, so a restart (even after {@code kill -9}) carries on from the adapters' checkpoints
 * instead of leaving the target to fall behind. The phase is not changed: it is already right.
 */
public final class ResumeMigrations {
    private static final Set<Phase> MOVING =
            EnumSet.of(Phase.REPLICATING, Phase.VALIDATING, Phase.CUTTING_OVER, Phase.CUT_OVER);

    public record Failure(Migration migration, RuntimeException cause) {
    }

    private final MigrationRepository migrations;
    private final MigrationRuntime runtime;
    private final MovementStarter movements;

    public ResumeMigrations(MigrationRepository migrations, MigrationRuntime runtime, MovementStarter movements) {
        this.migrations = migrations;
        this.runtime = runtime;
        this.movements = movements;
    }

    /** Returns the migrations whose movement could not resume, with why; the others run again. */
    public List<Failure> execute() {
        List<Failure> failures = new ArrayList<>();
        for (Migration migration : migrations.findAll()) {
            if (!MOVING.contains(migration.phase()) || runtime.isRunning(migration.id())) {
                continue;
            }
            try {
                movements.start(migration).release();
            } catch (RuntimeException e) {
                failures.add(new Failure(migration, e));
            }
        }
        return failures;
    }
}
