package io.eden.adapters.redis.migration;

/**
 * How the Redis data movement copies and compares.
 *
 * @param batchKeys        SCAN's COUNT: keys looked at per round trip
 * @param rateLimit        keys copied per second at most, 0 for no limit (spares a busy source)
 * @param ttlToleranceMillis how far two expiry times may differ and still count as equal
 * @param repairAttempts   how often a key that failed to mirror is copied again before it counts as lost
 * @param bigKeyBytes      a key whose DUMP is larger is copied in pieces (HSCAN, LRANGE, GETRANGE...) instead
 * @param clientShare      while clients send commands, the copier pauses after each batch for this many
 *                         times the batch's duration (0: it never pauses), so it takes at most
 *                         1 / (1 + clientShare) of the time from them
 */
public record MovementSettings(int batchKeys, long rateLimit, long ttlToleranceMillis, int repairAttempts,
                               long bigKeyBytes, double clientShare) {
    public static final MovementSettings DEFAULTS = new MovementSettings(2000, 0, 2000, 3, 64L << 20, 8);

    public MovementSettings(int batchKeys, long rateLimit, long ttlToleranceMillis, int repairAttempts) {
        this(batchKeys, rateLimit, ttlToleranceMillis, repairAttempts, DEFAULTS.bigKeyBytes, DEFAULTS.clientShare);
    }

    public MovementSettings {
        if (batchKeys < 1 || batchKeys > 1_000_000) {
            throw new IllegalArgumentException("copy-batch-keys must be between 1 and 1000000, got " + batchKeys);
        }
        if (rateLimit < 0) {
            throw new IllegalArgumentException("copy-rate-limit must be 0 (no limit) or positive, got " + rateLimit);
        }
        if (ttlToleranceMillis < 0) {
            throw new IllegalArgumentException("validate-ttl-tolerance-ms must not be negative, got "
                    + ttlToleranceMillis);
        }
        if (bigKeyBytes < 64 * 1024 || bigKeyBytes > 512L << 20) {
            throw new IllegalArgumentException("copy-big-key-bytes must be between 64kb and 512mb, got " + bigKeyBytes);
        }
        if (!(clientShare >= 0 && clientShare <= 100)) {
            throw new IllegalArgumentException("copy-client-share must be between 0 and 100, got " + clientShare);
        }
        if (repairAttempts < 1) {
            throw new IllegalArgumentException("repair-attempts must be positive, got " + repairAttempts);
        }
    }
}
