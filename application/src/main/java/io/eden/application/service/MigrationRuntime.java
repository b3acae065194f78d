package io.eden.application.service;

import io.eden.application.spi.DataMovement;
import io.eden.application.spi.ValidationReport;
import io.eden.domain.model.MigrationProgress;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;

/** The data movements running in this process and the last validation of each migration. */
public final class MigrationRuntime implements AutoCloseable {
    private final Map<String, Map<String, DataMovement>> movements = new ConcurrentHashMap<>();
    private final Map<String, ValidationReport> validations = new ConcurrentHashMap<>();

    public void started(String migrationId, String interlayId, DataMovement movement) {
        movements.computeIfAbsent(migrationId, id -> new ConcurrentHashMap<>()).put(interlayId, movement);
    }

    public boolean isRunning(String migrationId) {
        return !movements.getOrDefault(migrationId, Map.of()).isEmpty();
    }

    public Map<String, DataMovement> movements(String migrationId) {
        return Map.copyOf(movements.getOrDefault(migrationId, Map.of()));
    }

    public void stop(String migrationId) {
        Map<String, DataMovement> running = movements.remove(migrationId);
        if (running != null) {
            running.values().forEach(DataMovement::close);
        }
    }

    public boolean copyComplete(String migrationId, String interlayId) {
        DataMovement movement = movements.getOrDefault(migrationId, Map.of()).get(interlayId);
        return movement != null && movement.progress().copyComplete();
    }

    public void validated(String migrationId, ValidationReport report) {
        validations.put(migrationId, report);
    }

    public void forgetValidation(String migrationId) {
        validations.remove(migrationId);
    }

    public Optional<ValidationReport> lastValidation(String migrationId) {
        return Optional.ofNullable(validations.get(migrationId));
    }

    /** The progress of all interlays of a migration added up; the copy is complete only when every one is. */
    public MigrationProgress progress(String migrationId) {
        Map<String, DataMovement> running = movements.getOrDefault(migrationId, Map.of());
        if (running.isEmpty()) {
            return MigrationProgress.NONE;
        }
        long scanned = 0, copied = 0, total = 0, bytes = 0, mirrorErrors = 0, divergent = 0, lag = 0, eta = 0;
        double rate = 0;
        boolean complete = true;
        boolean etaKnown = true;
        for (DataMovement movement : running.values()) {
            MigrationProgress p = movement.progress();
            scanned += p.keysScanned();
            copied += p.keysCopied();
            total += p.keysTotalEstimate();
            bytes += p.bytesCopied();
            rate += p.keysPerSecond();
            mirrorErrors += p.mirrorErrors();
            divergent += p.divergentKeys();
            lag = Math.max(lag, p.replicationLagMillis());
            complete &= p.copyComplete();
            etaKnown &= p.etaSeconds().isPresent();
            eta = Math.max(eta, p.etaSeconds().orElse(0));
        }
        return new MigrationProgress(scanned, copied, total, bytes, rate,
                etaKnown ? OptionalLong.of(eta) : OptionalLong.empty(), mirrorErrors, divergent, complete, lag);
    }

    @Override
    public void close() {
        movements.keySet().forEach(this::stop);
    }
}
