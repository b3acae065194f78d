package io.eden.adapters.redis.proxy;

import io.eden.domain.routing.Side;
import java.util.Arrays;

/**
 * Pairs a write's authoritative reply with its mirror's. Both arrive on different connections,
 * in any order; the client's reply is released only once both are in, so a write a client saw
 * acknowledged is applied on both sides (and a client that acts on it, on any connection, is
 * ordered after it on both). Then an error or a different reply is counted and reported to the
 * {@link MirrorObserver}. Under the best-effort policy a write the authoritative side refused
 * but the mirror took answers with the mirror's reply.
 */
final class MirrorCheck {
    private final Side mirrorSide;
    private final boolean eitherSuffices;
    private final int db;
    private final byte[] key;
    private final MirrorObserver observer;
    private final ProxyMetrics metrics;
    private final Waiter client;
    private final Waiter authoritativeWaiter = new Half(true);
    private final Waiter mirrorWaiter = new Half(false);
    private byte[] authoritative;
    private byte[] mirror;

    MirrorCheck(Side mirrorSide, boolean eitherSuffices, int db, byte[] key, MirrorObserver observer,
                ProxyMetrics metrics, Waiter client) {
        this.mirrorSide = mirrorSide;
        this.eitherSuffices = eitherSuffices;
        this.db = db;
        this.key = key;
        this.observer = observer;
        this.metrics = metrics;
        this.client = client;
    }

    /** Where the authoritative side's reply goes (instead of straight to the client). */
    Waiter authoritativeWaiter() {
        return authoritativeWaiter;
    }

    Waiter mirrorWaiter() {
        return mirrorWaiter;
    }

    private final class Half extends Waiter {
        private final boolean authoritativeSide;

        Half(boolean authoritativeSide) {
            this.authoritativeSide = authoritativeSide;
        }

        @Override
        void complete(byte[] buf, int off, int len) {
            arrived(authoritativeSide, Arrays.copyOfRange(buf, off, off + len));
        }

        @Override
        void fail(byte[] error) {
            arrived(authoritativeSide, error);
        }
    }

    private void arrived(boolean authoritativeSide, byte[] reply) {
        synchronized (this) {
            if (authoritativeSide) {
                authoritative = reply;
            } else {
                mirror = reply;
            }
            if (authoritative == null || mirror == null) {
                return;
            }
        }
        // a command both sides refuse alike (WRONGTYPE, a syntax error) is no mirror failure
        boolean mirrorFailed = MirrorObserver.failed(authoritative, mirror);
        if (mirrorFailed) {
            metrics.mirrorErrors.increment();
        } else if (!Arrays.equals(authoritative, mirror)) {
            metrics.mirrorDivergence.increment();
        }
        try {
            observer.mirrored(mirrorSide, db, key, authoritative, mirror);
        } finally {
            byte[] answer = eitherSuffices && MirrorObserver.isError(authoritative) && !mirrorFailed ? mirror
                    : authoritative;
            client.complete(answer, 0, answer.length);
        }
    }
}
