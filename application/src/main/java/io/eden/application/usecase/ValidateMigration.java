package io.eden.application.usecase;

import io.eden.application.error.ConflictException;
import io.eden.application.service.Lookup;
import io.eden.application.service.MigrationChanges;
import io.eden.application.service.MigrationRuntime;
import io.eden.application.service.ViewAssembler;
import io.eden.application.spi.DataMovement;
import io.eden.application.spi.ValidationReport;
import io.eden.application.view.MigrationStatus;
import io.eden.domain.model.Migration;
import io.eden.domain.model.Phase;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Compares source and target of every interlay now; the combined report shows in the status.
 * Before a cutover this is the {@code validating} phase: a replicating migration enters it while
 * the comparison runs and stays there when both sides agree, or goes back to replicating when
 * they do not or the comparison fails (a database down). After a cutover has begun the report
 * is only recorded.
 */
public final class ValidateMigration {
    private static final int FIRST_DIFFERENCES = 20;

    private final Lookup lookup;
    private final MigrationChanges changes;
    private final MigrationRuntime runtime;
    private final ViewAssembler views;
    private final Clock clock;

    public ValidateMigration(Lookup lookup, MigrationChanges changes, MigrationRuntime runtime, ViewAssembler views,
                             Clock clock) {
        this.lookup = lookup;
        this.changes = changes;
        this.runtime = runtime;
        this.views = views;
        this.clock = clock;
    }

    public MigrationStatus execute(String migrationId) {
        Migration migration = lookup.migration(migrationId);
        Map<String, DataMovement> movements = runtime.movements(migrationId);
        if (movements.isEmpty()) {
            throw new ConflictException("not_moving_data", "migration '" + migrationId + "' is "
                    + migration.phase().wireName() + " and moves no data here; validation compares a running migration");
        }
        if (migration.phase() == Phase.REPLICATING) {
            changes.apply(migrationId, m -> m.moveTo(Phase.VALIDATING, "validation requested", clock.instant()));
        }
        ValidationReport report;
        try {
            report = compare(movements);
        } catch (RuntimeException e) {
            // no answer is no agreement: an earlier clean report must not carry it to a cutover
            backToReplicating(migrationId, "validation failed: " + e.getMessage());
            throw e;
        }
        runtime.validated(migrationId, report);
        if (!report.clean()) {
            backToReplicating(migrationId, "validation found " + report.differences() + " differences");
        }
        return views.status(lookup.migration(migrationId));
    }

    private void backToReplicating(String migrationId, String reason) {
        changes.apply(migrationId, m -> m.phase() == Phase.VALIDATING
                ? m.moveTo(Phase.REPLICATING, reason, clock.instant())
                : new Migration.Change(m, List.of()));
    }

    private ValidationReport compare(Map<String, DataMovement> movements) {
        long compared = 0;
        long differences = 0;
        List<String> first = new ArrayList<>();
        for (Map.Entry<String, DataMovement> entry : movements.entrySet()) {
            ValidationReport report = entry.getValue().validate();
            compared += report.keysCompared();
            differences += report.differences();
            for (String key : report.firstDifferences()) {
                if (first.size() < FIRST_DIFFERENCES) {
                    first.add(entry.getKey() + ":" + key);
                }
            }
        }
        return new ValidationReport(clock.instant(), compared, differences, first);
    }
}
