package io.eden.application.view;

import io.eden.domain.model.Migration;
import io.eden.domain.model.MigrationProgress;
import io.eden.domain.model.PhaseChange;
import java.util.List;

/** A migration's full state: its definition, per-interlay routing, progress and phase history. */
public record MigrationView(Migration migration, List<RoutingSummary> routing, MigrationProgress progress,
                            List<PhaseChange> history) {
    public MigrationView {
        routing = List.copyOf(routing);
        history = List.copyOf(history);
    }
}
