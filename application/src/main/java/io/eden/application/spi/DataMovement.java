package io.eden.application.spi;

import io.eden.domain.model.MigrationProgress;

/** Data being moved for one interlay: copy and live sync, with progress and comparison. */
public interface DataMovement extends AutoCloseable {

    MigrationProgress progress();

    /** Compares both sides now, ordered against in-flight writes. */
    ValidationReport validate();

    /** Stops copying and mirroring; the routing already sent traffic where it belongs. */
    @Override
    void close();
}
