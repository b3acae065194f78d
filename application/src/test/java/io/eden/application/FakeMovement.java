package io.eden.application;

import io.eden.application.spi.DataMovement;
import io.eden.application.spi.DataMovementRequest;
import io.eden.application.spi.ValidationReport;
import io.eden.domain.model.MigrationProgress;
import java.time.Instant;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicInteger;

/** Data movement whose progress and validation result the test sets. */
final class FakeMovement implements DataMovement {
    final DataMovementRequest request;
    final AtomicInteger closes = new AtomicInteger();
    final AtomicInteger validations = new AtomicInteger();
    private volatile MigrationProgress progress = MigrationProgress.NONE;
    private volatile ValidationReport report = new ValidationReport(Instant.EPOCH, 0, 0, List.of());

    FakeMovement(DataMovementRequest request) {
        this.request = request;
    }

    void progress(long copied, long total, boolean complete, long lagMillis) {
        progress = new MigrationProgress(copied, copied, total, copied * 10, 100.0,
                complete ? OptionalLong.of(0) : OptionalLong.of(total - copied), 0, 0, complete, lagMillis);
    }

    void report(long compared, List<String> differences) {
        report = new ValidationReport(Instant.EPOCH, compared, differences.size(), differences);
    }

    @Override
    public MigrationProgress progress() {
        return progress;
    }

    @Override
    public ValidationReport validate() {
        validations.incrementAndGet();
        return report;
    }

    @Override
    public void close() {
        closes.incrementAndGet();
    }
}
