package io.eden.application.view;

import io.eden.application.spi.ValidationReport;
import io.eden.domain.model.Health;
import io.eden.domain.model.MigrationProgress;
import io.eden.domain.model.Phase;
import java.util.Optional;

/** The seed's status object: phase, lag, both sides' health, whether cutover may begin, and progress. */
public record MigrationStatus(Phase phase, Optional<String> phaseReason, long replicationLagMs, Health source,
                              Health target, boolean readyForCutover, MigrationProgress progress,
                              Optional<ValidationReport> lastValidation) {
}
