package io.eden.domain.model;

import io.eden.domain.error.InvalidValueException;

/** What Eden does when the non-authoritative side fails a mirrored write. */
public sealed interface FailureHandling
        permits FailureHandling.RollbackAll, FailureHandling.AllowPartial, FailureHandling.RetryThenAll {

    int MAX_RETRIES = 100;

    String wireName();

    /** Route everything back to the source and mark the migration rolled back. */
    record RollbackAll() implements FailureHandling {
        @Override
        public String wireName() {
            return "rollback_all";
        }
    }

    /** Keep going; the failure is counted and the key recorded for repair. */
    record AllowPartial() implements FailureHandling {
        @Override
        public String wireName() {
            return "allow_partial";
        }
    }

    /** Retry the mirror up to {@code retryCount} times, then roll everything back. */
    record RetryThenAll(int retryCount) implements FailureHandling {
        public RetryThenAll {
            if (retryCount < 0 || retryCount > MAX_RETRIES) {
                throw new InvalidValueException("retry_count", "retry_count must be between 0 and " + MAX_RETRIES);
            }
        }

        @Override
        public String wireName() {
            return "retry_then_all";
        }
    }

    static FailureHandling fromWireName(String field, String name) {
        return switch (name == null ? "" : name) {
            case "rollback_all" -> new RollbackAll();
            case "allow_partial" -> new AllowPartial();
            case "retry_then_all" -> throw new InvalidValueException(field,
                    field + " retry_then_all needs the object form {\"type\":\"retry_then_all\",\"retry_count\":N}");
            default -> throw new InvalidValueException(field,
                    field + " must be one of rollback_all, allow_partial, retry_then_all");
        };
    }
}
