package io.eden.application;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/** A clock that stands still until the test moves it, or, when ticking, moves 1 µs at every reading. */
final class MutableClock extends Clock {
    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2025-03-01T10:00:00Z"));
    private volatile boolean ticking;

    /** Every reading a new instant, so stored updatedAt values differ and optimistic checks bite. */
    void ticking(boolean on) {
        ticking = on;
    }

    void advance(Duration by) {
        now.updateAndGet(t -> t.plus(by));
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }

    @Override
    public Instant instant() {
        return ticking ? now.updateAndGet(t -> t.plusNanos(1000)) : now.get();
    }
}
