package io.eden.domain.model;

import java.util.OptionalLong;

/**
 * How far data movement has come. {@code copyComplete} opens canary reads;
 * {@code replicationLagMillis} is the age of the oldest write not yet applied on the other side.
 */
public record MigrationProgress(long keysScanned, long keysCopied, long keysTotalEstimate, long bytesCopied,
                                double keysPerSecond, OptionalLong etaSeconds, long mirrorErrors,
                                long divergentKeys, boolean copyComplete, long replicationLagMillis) {
    public static final MigrationProgress NONE =
            new MigrationProgress(0, 0, 0, 0, 0.0, OptionalLong.empty(), 0, 0, false, 0);
}
