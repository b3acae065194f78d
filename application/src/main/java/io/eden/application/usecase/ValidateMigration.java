package io.eden.application.usecase;

import io.eden.application.error.ConflictException;
import io.eden.application.service.Lookup;
import io.eden.application.service.MigrationRuntime;
import io.eden.application.service.ViewAssembler;
import io.eden.application.spi.DataMovement;
import io.eden.application.spi.ValidationReport;
import io.eden.application.view.MigrationStatus;
import io.eden.domain.model.Migration;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Compares source and target of every interlay now; the combined report shows in the status. */
public final class ValidateMigration {
    private static final int FIRST_DIFFERENCES = 20;

    private final Lookup lookup;
    private final MigrationRuntime runtime;
    private final ViewAssembler views;
    private final Clock clock;

    public ValidateMigration(Lookup lookup, MigrationRuntime runtime, ViewAssembler views, Clock clock) {
        this.lookup = lookup;
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
        runtime.validated(migrationId, new ValidationReport(clock.instant(), compared, differences, first));
        return views.status(lookup.migration(migrationId));
    }
}
