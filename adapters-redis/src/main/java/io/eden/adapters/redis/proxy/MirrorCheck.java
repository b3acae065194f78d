package io.eden.adapters.redis.proxy;

import io.eden.domain.routing.Side;
import java.util.Arrays;

/**
 * Pairs a write's authoritative reply with its mirror's: both arrive on different connections,
 * in any order; once both are in, an error or a different reply is counted and reported to
 * the {@link MirrorObserver}.
 */
final class MirrorCheck {
    private final Side mirrorSide;
    private final MirrorObserver observer;
    private final ProxyMetrics metrics;
    private final Waiter mirrorWaiter = new Waiter() {
        @Override
        void complete(byte[] buf, int off, int len) {
            mirror(Arrays.copyOfRange(buf, off, off + len));
        }

        @Override
        void fail(byte[] error) {
            mirror(error);
        }
    };
    private byte[] authoritative;
    private byte[] mirror;
    private volatile boolean done;

    MirrorCheck(Side mirrorSide, MirrorObserver observer, ProxyMetrics metrics) {
        this.mirrorSide = mirrorSide;
        this.observer = observer;
        this.metrics = metrics;
    }

    Waiter mirrorWaiter() {
        return mirrorWaiter;
    }

    boolean done() {
        return done;
    }

    void authoritative(byte[] reply) {
        boolean both;
        synchronized (this) {
            authoritative = reply;
            both = mirror != null;
        }
        if (both) {
            compare();
        }
    }

    private void mirror(byte[] reply) {
        boolean both;
        synchronized (this) {
            mirror = reply;
            both = authoritative != null;
        }
        if (both) {
            compare();
        }
    }

    private void compare() {
        if (mirror.length > 0 && (mirror[0] == '-' || mirror[0] == '!')) {
            metrics.mirrorErrors.increment();
        } else if (!Arrays.equals(authoritative, mirror)) {
            metrics.mirrorDivergence.increment();
        }
        observer.mirrored(mirrorSide, authoritative, mirror);
        done = true;
    }
}
