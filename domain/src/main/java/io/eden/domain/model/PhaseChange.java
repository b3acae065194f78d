package io.eden.domain.model;

import java.time.Instant;
import java.util.Objects;

/** One step of a migration's phase machine, kept in the audit log. */
public record PhaseChange(String migrationId, Phase from, Phase to, String reason, Instant at) {
    public PhaseChange {
        Objects.requireNonNull(migrationId, "migrationId is null");
        Objects.requireNonNull(from, "from is null");
        Objects.requireNonNull(to, "to is null");
        Objects.requireNonNull(reason, "reason is null");
        Objects.requireNonNull(at, "at is null");
    }
}
