package io.eden.application.spi;

import java.time.Instant;
import java.util.List;

/** The outcome of comparing source and target: how many keys differ and the first of them. */
public record ValidationReport(Instant at, long keysCompared, long differences, List<String> firstDifferences) {
    public ValidationReport {
        firstDifferences = List.copyOf(firstDifferences);
    }

    public boolean clean() {
        return differences == 0;
    }
}
